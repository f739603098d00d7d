import { IWidgetTracker, MainAreaWidget } from '@jupyterlab/apputils';
import { IFrame } from '@jupyterlab/ui-components';
import { Token } from '@lumino/coreutils';
import { ISignal } from '@lumino/signaling';

/**
 * The comm target the kernel side opens when Python asks for a viewer to be shown.
 */
export const COMM_TARGET = 'jupyterlab-neuroglancer';

/**
 * Command ids: the public ones are a contract (see the README).
 */
export namespace CommandIDs {
  /** Open a Neuroglancer URL or state; args `{url?, kernel?: 'active' | 'none'}`. */
  export const openUrl = 'neuroglancer:open-url';
  /** Open the offline demo; args `{kernel?: 'active' | 'none'}`. */
  export const openDemo = 'neuroglancer:open-demo';
  /**
   * Open a state file (as a document) or a dataset (in a server-hosted viewer); args
   * `{path?: string}` relative to the server root, else the file browser's selection.
   */
  export const openPath = 'neuroglancer:open-path';
  /** Internal: show a registered viewer in a panel; args `{id, name?}`. */
  export const openViewer = 'neuroglancer:open-viewer';
  /** Show or hide the state sidebar of the last focused Neuroglancer panel. */
  export const toggleStateSidebar = 'neuroglancer:toggle-state-sidebar';
  /** Save the followed viewer's state as a `.ng.json` file in the file browser's folder. */
  export const saveStateAs = 'neuroglancer:save-state-as';
  /** Insert a cell recreating the followed viewer (`jupyterlab_neuroglancer.show`) in the active notebook. */
  export const insertStateAsCode = 'neuroglancer:insert-state-as-code';
}

/**
 * Who runs a viewer's Neuroglancer server: a kernel, or the Jupyter server itself.
 */
export type ViewerOwner =
  { kind: 'kernel'; kernel_id: string } | { kind: 'server' };

/**
 * A viewer known to the server extension's registry, as `api/viewers` returns it.
 */
export interface IViewerRecord {
  /** The registry id: the `<id>` in `neuroglancer/proxy/<id>/...`. */
  id: string;
  /** A human name: the Python variable, or what the user opened. */
  name: string;
  /** The Neuroglancer viewer token. */
  token: string;
  owner: ViewerOwner;
  /** The viewer page, relative to the server's base URL. */
  url: string;
}

/**
 * What a kernel announces over the comm when `show(...)` runs.
 */
export interface IKernelViewerAnnouncement {
  kind: 'viewer';
  port: number;
  token: string;
  name: string;
}

/**
 * A Neuroglancer panel in the main area: an iframe on the proxied viewer.
 */
export interface INeuroglancerPanel extends MainAreaWidget<IFrame> {
  /**
   * The registry record of the viewer this panel shows. It changes when the panel switches to
   * another viewer (recreated in the kernel after a restart, or kept standalone).
   */
  readonly record: IViewerRecord;
  /** Emitted when `record` changes; the iframe then loads the new viewer. */
  readonly recordChanged: ISignal<INeuroglancerPanel, IViewerRecord>;
  /** The iframe's window, once loaded (same origin: its `viewer` can be read and driven). */
  readonly viewerWindow: Window | null;
}

/**
 * The tracker of Neuroglancer panels, so other extensions can find viewers.
 */
export interface INeuroglancerTracker extends IWidgetTracker<INeuroglancerPanel> {}

/**
 * The token that provides the tracker of Neuroglancer panels.
 */
export const INeuroglancerTracker = new Token<INeuroglancerTracker>(
  'jupyterlab_neuroglancer:INeuroglancerTracker',
  'The Neuroglancer panels open in the main area.'
);
