/**
 * Neuroglancer panels: the tracker other extensions can use, the command that shows a registered
 * viewer, and restoration of panels after a reload.
 */
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { Notification, WidgetTracker } from '@jupyterlab/apputils';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { getViewer, ServerApiError } from '../serverApi';
import {
  CommandIDs,
  INeuroglancerPanel,
  INeuroglancerTracker
} from '../tokens';
import { NeuroglancerPanel } from '../widgets/neuroglancerPanel';

interface IOpenViewerArgs {
  id: string;
  /** The notebook or console whose kernel holds the viewer, for the title. */
  contextLabel?: string;
  /** Set by the layout restorer: a viewer that is gone is reported, not an error. */
  restoring?: boolean;
}

export const panelPlugin: JupyterFrontEndPlugin<INeuroglancerTracker> = {
  id: 'jupyterlab_neuroglancer:panels',
  description: 'Neuroglancer panels in the main area.',
  autoStart: true,
  provides: INeuroglancerTracker,
  optional: [ILayoutRestorer, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    restorer: ILayoutRestorer | null,
    translator: ITranslator | null
  ): INeuroglancerTracker => {
    const trans = (translator ?? nullTranslator).load(
      'jupyterlab_neuroglancer'
    );
    const tracker = new WidgetTracker<INeuroglancerPanel>({
      namespace: 'neuroglancer'
    });
    // Two announcements of one viewer (a kernel shared by a notebook and a console) may race.
    const opening = new Map<string, Promise<INeuroglancerPanel | null>>();

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
      try {
        record = await getViewer(args.id);
      } catch (error) {
        if (
          args.restoring &&
          error instanceof ServerApiError &&
          error.status === 404
        ) {
          Notification.warning(
            trans.__(
              'A Neuroglancer viewer from your last session is gone (its kernel or server stopped). Open it again from its notebook.'
            ),
            { autoClose: 8000 }
          );
          return null;
        }
        throw error;
      }
      const panel = new NeuroglancerPanel({
        record,
        contextLabel: args.contextLabel,
        trans
      });
      void tracker.add(panel);
      const ref = tracker.currentWidget ?? app.shell.currentWidget;
      app.shell.add(panel, 'main', {
        mode: tracker.currentWidget ? 'tab-after' : 'split-right',
        ref: ref?.id
      });
      app.shell.activateById(panel.id);
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
        args: panel => ({ id: panel.record.id, restoring: true }),
        name: panel => panel.record.id
      });
    }
    return tracker;
  }
};
