/**
 * What the state sidebar shows: the Neuroglancer panel the user last focused, the live model of
 * its viewer's state, and the settings. Every section of the sidebar renders from it.
 */
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';
import { flushSync } from 'react-dom';

import { NeuroglancerState } from '../../neuroglancerState';
import { DEFAULT_SHARE_HOST, IServerLocation } from '../../models/shareLink';
import { ViewerStateModel } from '../../models/viewerStateModel';
import { INeuroglancerPanel } from '../../tokens';
import { panelViewerSource } from './panelViewerSource';

/**
 * The sidebar's model.
 */
export class StateSidebarModel implements IDisposable {
  constructor(options: StateSidebarModel.IOptions) {
    this.server = options.server;
  }

  /** Where this JupyterLab is served from, to spot sources that only resolve here. */
  readonly server: IServerLocation;

  /** The panel followed, or `null` when no Neuroglancer panel is open. */
  get panel(): INeuroglancerPanel | null {
    return this._panel;
  }

  /** The live state model of the followed panel's viewer. */
  get viewer(): ViewerStateModel | null {
    return this._viewer;
  }

  /** The followed viewer's state, once its page has loaded. */
  get state(): NeuroglancerState | null {
    return this._viewer?.state ?? null;
  }

  /** The panel's title: the viewer's name (and the notebook whose kernel holds it). */
  get viewerName(): string {
    return this._panel?.title.label ?? '';
  }

  /** The Neuroglancer page share links point at (a setting). */
  get shareHost(): string {
    return this._shareHost;
  }
  set shareHost(value: string) {
    if (value !== this._shareHost) {
      this._shareHost = value;
      this._changed.emit('settings');
    }
  }

  /**
   * Emitted when anything shown changes: `panel` (another panel followed), `title` (its
   * title), `state` (the viewer's state), `settings`.
   */
  get changed(): ISignal<this, StateSidebarModel.Change> {
    return this._changed;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /**
   * Follow `panel` (or nothing). Following the same panel again changes nothing.
   */
  follow(panel: INeuroglancerPanel | null): void {
    if (panel === this._panel || this._isDisposed) {
      return;
    }
    this._unfollow();
    this._panel = panel;
    if (panel) {
      this._viewer = new ViewerStateModel(panelViewerSource(panel));
      this._viewer.stateChanged.connect(this._onStateChanged, this);
      this._titleText = `${panel.title.label}\n${panel.title.caption}`;
      panel.title.changed.connect(this._onTitleChanged, this);
      panel.disposed.connect(this._onPanelDisposed, this);
    }
    this._changed.emit('panel');
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._unfollow();
    this._isDisposed = true;
    Signal.clearData(this);
  }

  private _unfollow(): void {
    const panel = this._panel;
    if (panel) {
      panel.title.changed.disconnect(this._onTitleChanged, this);
      panel.disposed.disconnect(this._onPanelDisposed, this);
    }
    this._viewer?.dispose();
    this._viewer = null;
    this._panel = null;
  }

  private _onStateChanged(): void {
    // Render now, in this task: while the viewer draws (in software, a frame can take 200 ms),
    // React's own scheduling would wait behind it.
    flushSync(() => this._changed.emit('state'));
  }

  private _onTitleChanged(): void {
    // The shell restyles the title when focus moves (its class name): only the text matters.
    const text = `${this._panel?.title.label}\n${this._panel?.title.caption}`;
    if (text !== this._titleText) {
      this._titleText = text;
      this._changed.emit('title');
    }
  }

  private _onPanelDisposed(): void {
    // The tracker names the next panel to follow; until then there is none.
    this.follow(null);
  }

  private _panel: INeuroglancerPanel | null = null;
  private _viewer: ViewerStateModel | null = null;
  private _titleText = '';
  private _shareHost = DEFAULT_SHARE_HOST;
  private _isDisposed = false;
  private _changed = new Signal<this, StateSidebarModel.Change>(this);
}

export namespace StateSidebarModel {
  export interface IOptions {
    server: IServerLocation;
  }

  /** What changed; see `StateSidebarModel.changed`. */
  export type Change = 'panel' | 'title' | 'state' | 'settings';
}
