/**
 * The "Open Neuroglancer URL…" and "Open Neuroglancer Demo" commands, in the palette and the
 * launcher.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  ICommandPalette,
  InputDialog,
  showErrorMessage
} from '@jupyterlab/apputils';
import { IConsoleTracker } from '@jupyterlab/console';
import { ILauncher } from '@jupyterlab/launcher';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { neuroglancerIcon } from '../icons';
import { IKernelTarget } from '../kernelExecution';
import { parseNeuroglancerInput, StateParseError } from '../neuroglancerState';
import { CommandIDs, INeuroglancerTracker } from '../tokens';
import { KernelChoice, ViewerOpener } from '../viewerOpener';

const PLUGIN_ID = 'jupyterlab_neuroglancer:commands';
const CATEGORY = 'Neuroglancer';

const KERNEL_ARG = {
  type: 'string',
  enum: ['active', 'none'],
  description:
    'Create the viewer in the active kernel (default) or in the Jupyter server.'
};

export const commandsPlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'Commands that open Neuroglancer URLs and the offline demo.',
  autoStart: true,
  requires: [INeuroglancerTracker],
  optional: [
    INotebookTracker,
    IConsoleTracker,
    ICommandPalette,
    ILauncher,
    ISettingRegistry,
    ITranslator
  ],
  activate: (
    app: JupyterFrontEnd,
    _panels: INeuroglancerTracker,
    notebooks: INotebookTracker | null,
    consoles: IConsoleTracker | null,
    palette: ICommandPalette | null,
    launcher: ILauncher | null,
    settingRegistry: ISettingRegistry | null,
    translator: ITranslator | null
  ) => {
    const trans = (translator ?? nullTranslator).load(
      'jupyterlab_neuroglancer'
    );
    let variableBase = 'viewer';
    if (settingRegistry) {
      void settingRegistry.load(PLUGIN_ID).then(settings => {
        const read = () => {
          variableBase =
            (settings.get('variableName').composite as string) || 'viewer';
        };
        read();
        settings.changed.connect(read);
      });
    }

    // The active kernel is the one of the notebook or console in the current main-area tab.
    const activeKernel = (): IKernelTarget | null => {
      const current = app.shell.currentWidget;
      for (const tracker of [notebooks, consoles]) {
        const widget = tracker?.currentWidget;
        if (widget && widget === current) {
          return { context: widget.sessionContext, label: widget.title.label };
        }
      }
      return null;
    };

    const opener = new ViewerOpener({
      commands: app.commands,
      trans,
      activeKernel,
      variableBase: () => variableBase
    });

    app.commands.addCommand(CommandIDs.openUrl, {
      label: trans.__('Open Neuroglancer URL…'),
      caption: trans.__('Open a Neuroglancer URL or JSON state in a panel'),
      icon: neuroglancerIcon,
      describedBy: {
        args: {
          type: 'object',
          properties: {
            url: {
              type: 'string',
              description: trans.__('A Neuroglancer URL or JSON state')
            },
            kernel: KERNEL_ARG
          }
        }
      },
      execute: async args => {
        let text = args.url as string | undefined;
        if (text === undefined) {
          const answer = await InputDialog.getText({
            title: trans.__('Open Neuroglancer URL'),
            label: trans.__(
              'A Neuroglancer URL (https://…/#!{…}) or a JSON state'
            ),
            placeholder:
              'https://neuroglancer-demo.appspot.com/#!{"layers": …}',
            okLabel: trans.__('Open')
          });
          if (!answer.button.accept || answer.value === null) {
            return;
          }
          text = answer.value;
        }
        let state;
        try {
          state = parseNeuroglancerInput(text);
        } catch (error) {
          if (error instanceof StateParseError) {
            await showErrorMessage(
              trans.__('Not a Neuroglancer URL'),
              error.message
            );
            return;
          }
          throw error;
        }
        await opener.open(
          { kind: 'state', state },
          (args.kernel as KernelChoice) ?? 'active'
        );
      }
    });

    app.commands.addCommand(CommandIDs.openDemo, {
      label: trans.__('Open Neuroglancer Demo'),
      caption: trans.__(
        'Open synthetic EM data and its segmentation, made locally (no network)'
      ),
      icon: neuroglancerIcon,
      describedBy: {
        args: { type: 'object', properties: { kernel: KERNEL_ARG } }
      },
      execute: args =>
        opener.open({ kind: 'demo' }, (args.kernel as KernelChoice) ?? 'active')
    });

    for (const command of [CommandIDs.openUrl, CommandIDs.openDemo]) {
      palette?.addItem({ command, category: CATEGORY });
    }
    launcher?.add({
      command: CommandIDs.openDemo,
      category: 'Other',
      rank: 50
    });
  }
};
