/**
 * Viewers announced by kernels (`jupyterlab_neuroglancer.show(...)`) become panels: the server
 * checks the kernel owns the viewer and proxies it, then a panel opens on it.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { showErrorMessage } from '@jupyterlab/apputils';
import { IConsoleTracker } from '@jupyterlab/console';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { KernelViewerBridge } from '../kernelBridge';
import { registerKernelViewer } from '../serverApi';
import { CommandIDs, INeuroglancerTracker } from '../tokens';

export const kernelBridgePlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab_neuroglancer:kernel-bridge',
  description:
    'Opens a panel for every viewer a notebook or console kernel shows.',
  autoStart: true,
  // The tracker is required so that the panel command exists before any announcement.
  requires: [INeuroglancerTracker],
  optional: [INotebookTracker, IConsoleTracker, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    _panels: INeuroglancerTracker,
    notebooks: INotebookTracker | null,
    consoles: IConsoleTracker | null,
    translator: ITranslator | null
  ) => {
    const trans = (translator ?? nullTranslator).load(
      'jupyterlab_neuroglancer'
    );
    const bridge = new KernelViewerBridge();

    for (const tracker of [notebooks, consoles]) {
      if (!tracker) {
        continue;
      }
      tracker.forEach(widget => bridge.watch(widget));
      tracker.widgetAdded.connect((_, widget) => bridge.watch(widget));
    }

    bridge.viewerAnnounced.connect(
      async (
        _,
        { announcement, kernelId, label: contextLabel, path: contextPath }
      ) => {
        try {
          const record = await registerKernelViewer({
            kernelId,
            port: announcement.port,
            token: announcement.token,
            name: announcement.name
          });
          await app.commands.execute(CommandIDs.openViewer, {
            id: record.id,
            contextLabel,
            contextPath
          });
        } catch (error) {
          await showErrorMessage(
            trans.__('The viewer from %1 could not be shown', contextLabel),
            error instanceof Error ? error.message : String(error)
          );
        }
      }
    );
  }
};
