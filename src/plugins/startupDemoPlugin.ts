/**
 * Opens the offline demo when JupyterLab is loaded with `?neuroglancer=demo` in its URL, as the
 * README's quick start does.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';

import { CommandIDs, INeuroglancerTracker } from '../tokens';

const QUERY_PARAMETER = 'neuroglancer';

export const startupDemoPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab_neuroglancer:startup-demo',
  description:
    'Opens the demo when the page URL asks for it (?neuroglancer=demo).',
  autoStart: true,
  requires: [INeuroglancerTracker],
  activate: (app: JupyterFrontEnd, panels: INeuroglancerTracker) => {
    const url = new URL(window.location.href);
    if (url.searchParams.get(QUERY_PARAMETER) !== 'demo') {
      return;
    }
    // One-shot: a reload restores the panel instead of opening a second demo.
    url.searchParams.delete(QUERY_PARAMETER);
    window.history.replaceState(window.history.state, '', url.toString());
    void app.restored.then(async () => {
      await panels.restored;
      if (panels.size === 0) {
        await app.commands.execute(CommandIDs.openDemo, { kernel: 'none' });
      }
    });
  }
};
