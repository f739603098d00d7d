/**
 * Opens the offline demo when JupyterLab loads, if the server asks for it
 * (`--NeuroglancerExtension.open_demo_on_start=True`, as the README's quick start does) and no
 * Neuroglancer panel was restored.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { PageConfig } from '@jupyterlab/coreutils';

import { CommandIDs, INeuroglancerTracker } from '../tokens';

const PAGE_CONFIG_OPTION = 'neuroglancerOpenDemoOnStart';

export const startupDemoPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab_neuroglancer:startup-demo',
  description:
    'Opens the offline demo on start when the server is configured to.',
  autoStart: true,
  requires: [INeuroglancerTracker],
  activate: (app: JupyterFrontEnd, panels: INeuroglancerTracker) => {
    if (String(PageConfig.getOption(PAGE_CONFIG_OPTION)) !== 'true') {
      return;
    }
    void app.restored.then(async () => {
      await panels.restored;
      if (panels.size === 0) {
        await app.commands.execute(CommandIDs.openDemo, { kernel: 'none' });
      }
    });
  }
};
