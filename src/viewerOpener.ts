/**
 * What the "Open URL" and "Open Demo" commands do: create the viewer in the active kernel (where
 * the panel then opens through the kernel bridge) or, without one, in the Jupyter server.
 */
import {
  Dialog,
  Notification,
  showDialog,
  showErrorMessage
} from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';

import {
  evaluateInKernel,
  IKernelTarget,
  KernelCommandError
} from './kernelExecution';
import { openDemoExpression, openStateExpression } from './kernelSnippets';
import { NeuroglancerState } from './neuroglancerState';
import { createHostedViewer } from './serverApi';
import { CommandIDs } from './tokens';

/**
 * What to open: a state, or the offline demo.
 */
export type ViewerSource =
  { kind: 'state'; state: NeuroglancerState } | { kind: 'demo' };

/**
 * Where to create the viewer: the active notebook's or console's kernel, or the server.
 */
export type KernelChoice = 'active' | 'none';

/**
 * Opens viewers for the commands, and reports every failure in a dialog.
 */
export class ViewerOpener {
  constructor(private _options: ViewerOpener.IOptions) {}

  /**
   * Open `source`; resolves once the viewer exists (its panel follows from the kernel bridge
   * or opens here), or after the user has been told why it could not.
   */
  async open(
    source: ViewerSource,
    kernel: KernelChoice = 'active'
  ): Promise<void> {
    const target = kernel === 'active' ? this._options.activeKernel() : null;
    if (!target) {
      return this._openHosted(source);
    }
    const { trans } = this._options;
    const expression =
      source.kind === 'demo'
        ? openDemoExpression(this._options.variableBase())
        : openStateExpression(source.state, this._options.variableBase());
    try {
      const variable = await evaluateInKernel(target, expression, trans);
      Notification.success(
        trans.__(
          'The viewer is the variable "%1" in the kernel of %2.',
          variable,
          target.label
        ),
        { autoClose: 6000 }
      );
    } catch (error) {
      if (!(error instanceof KernelCommandError)) {
        throw error;
      }
      if (error.reason === 'failed' || error.reason === 'missing-package') {
        await showErrorMessage(error.title, error.message);
        return;
      }
      // No usable kernel right now: the server can still host the viewer.
      const answer = await showDialog({
        title: error.title,
        body: error.message,
        buttons: [
          Dialog.cancelButton({ label: trans.__('Cancel') }),
          Dialog.okButton({ label: trans.__('Open without a kernel') })
        ]
      });
      if (answer.button.accept) {
        await this._openHosted(source);
      }
    }
  }

  private async _openHosted(source: ViewerSource): Promise<void> {
    const { trans, commands } = this._options;
    try {
      const record = await createHostedViewer(
        source.kind === 'demo'
          ? { demo: true, name: trans.__('Neuroglancer demo') }
          : { state: source.state, name: trans.__('Neuroglancer') }
      );
      await commands.execute(CommandIDs.openViewer, { id: record.id });
    } catch (error) {
      await showErrorMessage(
        trans.__('The viewer could not be opened'),
        error instanceof Error ? error.message : String(error)
      );
    }
  }
}

export namespace ViewerOpener {
  export interface IOptions {
    commands: CommandRegistry;
    trans: TranslationBundle;
    /** The kernel of the notebook or console the user is working in, if any. */
    activeKernel: () => IKernelTarget | null;
    /** The preferred variable name for new viewers (a setting). */
    variableBase: () => string;
  }
}
