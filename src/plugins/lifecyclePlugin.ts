/**
 * Viewer lifecycle: every Neuroglancer panel says when its viewer is gone (a kernel restart or
 * shutdown, a stopped viewer server) and offers to recreate it in the kernel or keep it
 * standalone; it gets a screenshot button and JupyterLab's shortcuts from inside the viewer. The
 * Running panel lists the open viewers and whether they are live.
 *
 * Panels coming back after a reload are handled where they are made (`panelPlugin.ts`, with
 * `lifecycle/restore.ts`); unloading hidden panels is the panel's own (`neuroglancerPanel.ts`).
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { IConsoleTracker } from '@jupyterlab/console';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { INotebookTracker } from '@jupyterlab/notebook';
import { IRunningSessionManagers } from '@jupyterlab/running';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { KernelWatcher } from '../lifecycle/kernelWatcher';
import { PanelLifecycle } from '../lifecycle/panelLifecycle';
import { RunningViewers } from '../lifecycle/runningViewers';
import { ViewerMonitor } from '../lifecycle/viewerMonitor';
import { INeuroglancerPanel, INeuroglancerTracker } from '../tokens';
import { NeuroglancerPanel } from '../widgets/neuroglancerPanel';

export const lifecyclePlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab_neuroglancer:lifecycle',
  description:
    'Reports gone viewers in their panels and recreates them; screenshots; shortcuts inside viewers; the viewers in the Running panel.',
  autoStart: true,
  requires: [INeuroglancerTracker],
  // Notebooks and consoles: their kernels' restarts reach the panels at once, and the viewers
  // are recreated there. The file browser's folder takes screenshots of viewers without a
  // notebook. The Running panel lists the viewers.
  optional: [
    INotebookTracker,
    IConsoleTracker,
    IDefaultFileBrowser,
    IRunningSessionManagers,
    ITranslator
  ],
  activate: (
    app: JupyterFrontEnd,
    tracker: INeuroglancerTracker,
    notebooks: INotebookTracker | null,
    consoles: IConsoleTracker | null,
    fileBrowser: IDefaultFileBrowser | null,
    running: IRunningSessionManagers | null,
    translator: ITranslator | null
  ) => {
    const trans = (translator ?? nullTranslator).load(
      'jupyterlab_neuroglancer'
    );
    const watcher = new KernelWatcher();
    for (const widgets of [notebooks, consoles]) {
      widgets?.forEach(widget => watcher.watch(widget));
      widgets?.widgetAdded.connect((_, widget) => watcher.watch(widget));
    }
    const monitor = new ViewerMonitor();
    watcher.kernelEvent.connect((_, event) => monitor.onKernelEvent(event));

    const services = {
      trans,
      commands: app.commands,
      contents: app.serviceManager.contents,
      monitor,
      watcher,
      defaultFolder: () => fileBrowser?.model.path ?? ''
    };
    const attach = (panel: INeuroglancerPanel) => {
      if (panel instanceof NeuroglancerPanel) {
        monitor.add(panel);
        new PanelLifecycle(panel, services);
      }
    };
    tracker.forEach(attach);
    tracker.widgetAdded.connect((_, panel) => attach(panel));

    // Hidden panels unload their viewer page, except the one focused last: the state sidebar
    // follows it (one more WebGL context at most).
    let followed: NeuroglancerPanel | null = null;
    const follow = (panel: INeuroglancerPanel | null) => {
      if (followed && !followed.isDisposed) {
        followed.keepLoadedWhenHidden = false;
      }
      followed = panel instanceof NeuroglancerPanel ? panel : null;
      if (followed) {
        followed.keepLoadedWhenHidden = true;
      }
    };
    follow(tracker.currentWidget);
    tracker.currentChanged.connect((_, panel) => follow(panel));

    running?.add(
      new RunningViewers({
        tracker,
        monitor,
        kernels: app.serviceManager.kernels,
        kernelSpecs: app.serviceManager.kernelspecs,
        trans,
        activate: id => app.shell.activateById(id)
      })
    );
  }
};
