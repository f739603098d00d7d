import {
  openDemoExpression,
  openStateExpression,
  pythonStringLiteral,
  unquotePythonRepr
} from '../kernelSnippets';

describe('kernel snippets', () => {
  it('embeds a state as one Python string literal, whatever it holds', () => {
    const state = {
      layers: [{ name: 'quote " backslash \\ newline \n unicode µm \u2028' }]
    };
    const expression = openStateExpression(state, 'viewer');
    const literal = pythonStringLiteral(JSON.stringify(state));
    expect(expression).toContain(literal);
    expect(expression).not.toContain('\n');
    // Decoding the literal the way Python would (it is valid JSON) gives the state back.
    expect(JSON.parse(JSON.parse(literal))).toEqual(state);
  });

  it('calls the kernel-side commands with the caller namespace and the variable base', () => {
    expect(openStateExpression({}, 'view')).toBe(
      '__import__("jupyterlab_neuroglancer.kernel.commands", fromlist=["_"])' +
        '.open_state_in_namespace(globals(), "{}", base="view")'
    );
    expect(openDemoExpression('viewer')).toBe(
      '__import__("jupyterlab_neuroglancer.kernel.commands", fromlist=["_"])' +
        '.open_demo_in_namespace(globals(), base="viewer")'
    );
  });

  it('reads a Python str repr back', () => {
    expect(unquotePythonRepr("'viewer_2'")).toBe('viewer_2');
    expect(unquotePythonRepr('"it\'s"')).toBe("it's");
    expect(unquotePythonRepr("'C:\\\\python.exe'")).toBe('C:\\python.exe');
    expect(unquotePythonRepr('42')).toBe('42');
  });
});
