/**
 * jupyterlab_neuroglancer: Neuroglancer viewers in JupyterLab, served through the Jupyter server.
 */
import { JupyterFrontEndPlugin } from '@jupyterlab/application';

import { commandsPlugin } from './plugins/commandsPlugin';
import { fileBrowserPlugin } from './plugins/fileBrowserPlugin';
import { kernelBridgePlugin } from './plugins/kernelBridgePlugin';
import { lifecyclePlugin } from './plugins/lifecyclePlugin';
import { panelPlugin } from './plugins/panelPlugin';
import { sidebarPlugin } from './plugins/sidebarPlugin';
import { stateDocumentPlugin } from './plugins/stateDocumentPlugin';
import { startupDemoPlugin } from './plugins/startupDemoPlugin';

export * from './tokens';

const plugins: JupyterFrontEndPlugin<any>[] = [
  panelPlugin,
  kernelBridgePlugin,
  lifecyclePlugin,
  commandsPlugin,
  startupDemoPlugin,
  sidebarPlugin,
  stateDocumentPlugin,
  fileBrowserPlugin
];

export default plugins;
