/**
 * The Python expressions the commands evaluate in a user's kernel.
 *
 * They run as `user_expressions` of a silent execute request: nothing appears in the notebook,
 * the execution count does not move, and an error comes back as data instead of a traceback.
 */

const COMMANDS_MODULE = 'jupyterlab_neuroglancer.kernel.commands';

/**
 * A Python string literal holding `text`. A JSON string literal is also a valid Python one.
 */
export function pythonStringLiteral(text: string): string {
  return JSON.stringify(text);
}

function callCommand(functionName: string, ...args: string[]): string {
  const module = `__import__(${pythonStringLiteral(COMMANDS_MODULE)}, fromlist=["_"])`;
  return `${module}.${functionName}(${['globals()', ...args].join(', ')})`;
}

/**
 * An expression that opens `state` in a new viewer bound to a free variable; it evaluates to
 * that variable's name.
 */
export function openStateExpression(
  state: object,
  variableBase: string
): string {
  return callCommand(
    'open_state_in_namespace',
    pythonStringLiteral(JSON.stringify(state)),
    `base=${pythonStringLiteral(variableBase)}`
  );
}

/**
 * An expression that opens the offline demo in a new viewer bound to a free variable; it
 * evaluates to that variable's name.
 */
export function openDemoExpression(variableBase: string): string {
  return callCommand(
    'open_demo_in_namespace',
    `base=${pythonStringLiteral(variableBase)}`
  );
}

/**
 * An expression giving the kernel's Python executable, for install instructions.
 */
export const PYTHON_EXECUTABLE_EXPRESSION = '__import__("sys").executable';

/**
 * The value of a Python `str` from its `repr` (`'viewer_2'` → `viewer_2`).
 */
export function unquotePythonRepr(repr: string): string {
  const match = /^(['"])(.*)\1$/s.exec(repr.trim());
  return match ? match[2].replace(/\\\\/g, '\\') : repr;
}

/**
 * An expression that recreates a lost viewer from `state`, bound to the variable `name` (or the
 * first free `name_2`...); it evaluates to JSON `{"name", "port", "token"}` of the new viewer,
 * which is not announced (the panel that asked switches to it).
 */
export function recreateExpression(state: object, name: string): string {
  return callCommand(
    'recreate_in_namespace',
    pythonStringLiteral(JSON.stringify(state)),
    `name=${pythonStringLiteral(name)}`
  );
}
