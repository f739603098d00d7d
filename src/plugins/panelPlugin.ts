/**
 * Neuroglancer panels: the tracker other extensions can use, the command that shows a registered
 * viewer, and restoration of panels after a reload.
 */
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  Notification,
  showErrorMessage,
  WidgetTracker
} from '@jupyterlab/apputils';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import {
  findRestoredViewer,
  IRestoredPanelArgs,
  restoredPanelArgs,
  restoredPanelName,
  saveOnChange
} from '../lifecycle/restore';
import { getViewer } from '../serverApi';
import {
  CommandIDs,
  INeuroglancerPanel,
  INeuroglancerTracker
} from '../tokens';
import { NeuroglancerPanel } from '../widgets/neuroglancerPanel';
import { saveStateFile } from '../widgets/stateSidebar/stateActions';

interface IOpenViewerArgs extends Partial<IRestoredPanelArgs> {
  id: string;
  /** The notebook or console whose kernel holds the viewer, for the title. */
  contextLabel?: string;
  /** Its session path, to find it again (to recreate the viewer there). */
  contextPath?: string;
  /**
   * Set by the layout restorer (with the saved state, see `IRestoredPanelArgs`): a viewer that
   * is gone comes back from its state in a server-hosted viewer.
   */
  restoring?: boolean;
}

export const panelPlugin: JupyterFrontEndPlugin<INeuroglancerTracker> = {
  id: 'jupyterlab_neuroglancer:panels',
  description: 'Neuroglancer panels in the main area.',
  autoStart: true,
  provides: INeuroglancerTracker,
  // The default file browser's folder is where "Save state as…" puts files.
  optional: [ILayoutRestorer, ITranslator, IDefaultFileBrowser],
  activate: (
    app: JupyterFrontEnd,
    restorer: ILayoutRestorer | null,
    translator: ITranslator | null,
    fileBrowser: IDefaultFileBrowser | null
  ): INeuroglancerTracker => {
    const trans = (translator ?? nullTranslator).load(
      'jupyterlab_neuroglancer'
    );
    const tracker = new WidgetTracker<INeuroglancerPanel>({
      namespace: 'neuroglancer'
    });
    // Two announcements of one viewer (a kernel shared by a notebook and a console) may race.
    const opening = new Map<string, Promise<INeuroglancerPanel | null>>();

    const saveState = (panel: NeuroglancerPanel): void => {
      // The page's state now; the last one followed when the page is unloaded or gone.
      const state = panel.currentState() ?? panel.lastState;
      if (!state) {
        void showErrorMessage(
          trans.__('No state to save yet'),
          trans.__(
            'The viewer page is still loading. Wait until it shows, then try again.'
          )
        );
        return;
      }
      void saveStateFile({
        state,
        viewerName: panel.record.name,
        trans,
        contents: app.serviceManager.contents,
        fileBrowser
      });
    };

    const findPanel = (id: string) =>
      tracker.find(panel => panel.record.id === id) ?? null;

    const openPanel = async (
      args: IOpenViewerArgs
    ): Promise<INeuroglancerPanel | null> => {
      const existing = findPanel(args.id);
      if (existing) {
        app.shell.activateById(existing.id);
        return existing;
      }
      let record;
      let replaced = null;
      if (args.restoring) {
        const restored = await findRestoredViewer(args);
        if (!restored) {
          Notification.warning(
            trans.__(
              'A Neuroglancer viewer from your last session is gone (its kernel or server stopped). Open it again from its notebook.'
            ),
            { autoClose: 8000 }
          );
          return null;
        }
        ({ record, replaced } = restored);
      } else {
        record = await getViewer(args.id);
      }
      const panel = new NeuroglancerPanel({
        record,
        contextLabel: args.contextLabel,
        contextPath: args.contextPath,
        restoreKey: args.restoreKey,
        lastState: args.state,
        replaced,
        trans,
        onSaveState: saveState
      });
      void tracker.add(panel);
      saveOnChange(tracker, panel);
      const ref = tracker.currentWidget ?? app.shell.currentWidget;
      app.shell.add(panel, 'main', {
        mode: tracker.currentWidget ? 'tab-after' : 'split-right',
        ref: ref?.id
      });
      if (!args.restoring) {
        // When restoring, the restored layout says which tabs are current.
        app.shell.activateById(panel.id);
      }
      return panel;
    };

    app.commands.addCommand(CommandIDs.openViewer, {
      label: trans.__('Show Neuroglancer Viewer'),
      describedBy: {
        args: {
          type: 'object',
          properties: {
            id: {
              type: 'string',
              description: trans.__('The registry id of the viewer')
            },
            contextLabel: { type: 'string' },
            contextPath: { type: 'string' },
            restoring: { type: 'boolean' }
          },
          required: ['id']
        }
      },
      execute: args => {
        const openArgs = args as unknown as IOpenViewerArgs;
        let pending = opening.get(openArgs.id);
        if (!pending) {
          pending = openPanel(openArgs).finally(() =>
            opening.delete(openArgs.id)
          );
          opening.set(openArgs.id, pending);
        }
        return pending;
      }
    });

    if (restorer) {
      void restorer.restore(tracker, {
        command: CommandIDs.openViewer,
        args: panel => restoredPanelArgs(panel) as any,
        name: restoredPanelName
      });
    }
    return tracker;
  }
};
