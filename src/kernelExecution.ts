/**
 * Evaluating the commands' Python expressions in a user's kernel, and turning every way that
 * can fail into a sentence for the user.
 */
import { ISessionContext } from '@jupyterlab/apputils';
import { KernelMessage } from '@jupyterlab/services';
import { TranslationBundle } from '@jupyterlab/translation';

import {
  PYTHON_EXECUTABLE_EXPRESSION,
  unquotePythonRepr
} from './kernelSnippets';

/**
 * Why a kernel could not run a command; `title` and `message` go into a dialog.
 */
export class KernelCommandError extends Error {
  constructor(
    readonly title: string,
    message: string,
    readonly reason:
      'no-kernel' | 'dead' | 'busy' | 'missing-package' | 'failed'
  ) {
    super(message);
    this.name = 'KernelCommandError';
  }
}

/**
 * A kernel to run commands in, with the name people know it by: its notebook's or console's
 * tab label.
 */
export interface IKernelTarget {
  context: ISessionContext;
  label: string;
}

/**
 * Evaluate `expression` in the kernel of `target` and return the `str` it evaluates to.
 *
 * @throws KernelCommandError when there is no kernel, it is dead or busy, it lacks the
 * package, or the expression raises.
 */
export async function evaluateInKernel(
  { context, label }: IKernelTarget,
  expression: string,
  trans: TranslationBundle
): Promise<string> {
  // A notebook that was just opened may still be starting its kernel: wait for it first.
  await context.ready;
  const kernel = context.session?.kernel;
  if (!kernel) {
    throw new KernelCommandError(
      trans.__('No kernel'),
      trans.__(
        '%1 has no kernel. Select a Python kernel for it, then try again.',
        label
      ),
      'no-kernel'
    );
  }
  if (kernel.status === 'dead' || kernel.connectionStatus === 'disconnected') {
    throw new KernelCommandError(
      trans.__('The kernel is not running'),
      trans.__(
        'The kernel of %1 is dead. Restart it (Kernel › Restart Kernel…), then try again.',
        label
      ),
      'dead'
    );
  }
  if (kernel.status === 'busy') {
    throw new KernelCommandError(
      trans.__('The kernel is busy'),
      trans.__(
        'The kernel of %1 is busy running code. Wait for it to finish or interrupt it, then try again.',
        label
      ),
      'busy'
    );
  }
  const future = kernel.requestExecute({
    code: '',
    silent: true,
    store_history: false,
    user_expressions: {
      result: expression,
      python: PYTHON_EXECUTABLE_EXPRESSION
    }
  });
  const reply = (await future.done) as KernelMessage.IExecuteReplyMsg;
  if (reply.content.status !== 'ok') {
    throw new KernelCommandError(
      trans.__('The kernel could not run the command'),
      trans.__(
        'The kernel of %1 answered with an error. Restart it and try again.',
        label
      ),
      'failed'
    );
  }
  const expressions = reply.content.user_expressions as unknown as Record<
    string,
    IUserExpressionResult
  >;
  const result = expressions.result;
  if (result?.status === 'ok') {
    return unquotePythonRepr(String(result.data?.['text/plain'] ?? ''));
  }
  throw describeKernelFailure(result, expressions.python, label, trans);
}

interface IUserExpressionResult {
  status: 'ok' | 'error';
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
}

function describeKernelFailure(
  result: IUserExpressionResult | undefined,
  python: IUserExpressionResult | undefined,
  label: string,
  trans: TranslationBundle
): KernelCommandError {
  const ename = result?.ename ?? '';
  const evalue = result?.evalue ?? '';
  const missing = /No module named '([\w.]+)'/.exec(evalue);
  if ((ename === 'ModuleNotFoundError' || ename === 'ImportError') && missing) {
    const executable =
      python?.status === 'ok'
        ? unquotePythonRepr(String(python.data?.['text/plain']))
        : 'python';
    return new KernelCommandError(
      trans.__('Neuroglancer is not installed in this kernel'),
      trans.__(
        'The kernel of %1 cannot import %2. Install the package in that kernel\'s environment with "%3 -m pip install jupyterlab_neuroglancer", restart the kernel, and try again.',
        label,
        missing[1].split('.')[0],
        executable
      ),
      'missing-package'
    );
  }
  if (ename === 'StateParseError') {
    return new KernelCommandError(
      trans.__('Not a Neuroglancer state'),
      evalue,
      'failed'
    );
  }
  return new KernelCommandError(
    trans.__('The viewer could not be created'),
    trans.__(
      'The kernel of %1 could not create the viewer: %2: %3',
      label,
      ename,
      evalue
    ),
    'failed'
  );
}
