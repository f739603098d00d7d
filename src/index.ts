/**
 * jupyterlab_neuroglancer: Neuroglancer viewers in JupyterLab, served through the Jupyter server.
 */
import { JupyterFrontEndPlugin } from '@jupyterlab/application';

import { commandsPlugin } from './plugins/commandsPlugin';
import { kernelBridgePlugin } from './plugins/kernelBridgePlugin';
import { panelPlugin } from './plugins/panelPlugin';
import { startupDemoPlugin } from './plugins/startupDemoPlugin';

export * from './tokens';

const plugins: JupyterFrontEndPlugin<any>[] = [
  panelPlugin,
  kernelBridgePlugin,
  commandsPlugin,
  startupDemoPlugin
];

export default plugins;
