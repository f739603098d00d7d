/**
 * Keeps the latest state of the Neuroglancer viewer inside an iframe: after every page load it
 * waits for the page's `window.viewer`, subscribes to `viewer.state.changed` and reads
 * `viewer.state.toJSON()` shortly after each change.
 *
 * The copy outlives the viewer: when its kernel restarts or its server stops, the panel still
 * has the state to recreate it from, and the layout restorer saves it with the workspace.
 */
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import { NeuroglancerState } from '../neuroglancerState';

/** How long to wait after a change before reading the state (changes come in bursts). */
const READ_DELAY_MS = 300;
/** How often, and how long, to look for `window.viewer` after a page load. */
const FIND_INTERVAL_MS = 200;
const FIND_TIMEOUT_MS = 120000;

interface INeuroglancerFrameViewer {
  state: {
    toJSON(): unknown;
    changed: { add(handler: () => void): () => void };
  };
}

/**
 * Follows the viewer of one iframe element.
 */
export class ViewerStateFollower implements IDisposable {
  constructor(
    private _frame: HTMLIFrameElement,
    initialState: NeuroglancerState | null = null
  ) {
    this._state = initialState;
    this._text = initialState ? JSON.stringify(initialState) : '';
    this._frame.addEventListener('load', this._onLoad);
  }

  /** The last state read, or the initial one; `null` until there is any. */
  get state(): NeuroglancerState | null {
    return this._state;
  }

  /** Emitted when the state read differs from the previous one. */
  get stateChanged(): ISignal<this, NeuroglancerState> {
    return this._stateChanged;
  }

  /** Whether a viewer is attached (its page has loaded and its state was read). */
  get attached(): boolean {
    return this._detach !== null;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /**
   * Read the viewer's state now (before its page goes away, say). Returns the latest state.
   */
  capture(): NeuroglancerState | null {
    const viewer = this._viewer();
    if (viewer) {
      this._read(viewer);
    }
    return this._state;
  }

  /**
   * Forget the current page's viewer (its page is about to be replaced).
   */
  detach(): void {
    this._stopLooking();
    window.clearTimeout(this._readTimer);
    this._readTimer = 0;
    if (this._detach) {
      try {
        this._detach();
      } catch {
        // The page is gone already.
      }
      this._detach = null;
    }
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this.detach();
    this._frame.removeEventListener('load', this._onLoad);
    Signal.clearData(this);
  }

  private _onLoad = (): void => {
    this.detach();
    const src = this._frame.getAttribute('src');
    if (!src || src === 'about:blank') {
      return; // an unloaded panel
    }
    const started = Date.now();
    const look = () => {
      const viewer = this._viewer();
      if (viewer) {
        this._stopLooking();
        this._attach(viewer);
      } else if (Date.now() - started > FIND_TIMEOUT_MS) {
        this._stopLooking();
      }
    };
    this._findTimer = window.setInterval(look, FIND_INTERVAL_MS);
    look();
  };

  private _attach(viewer: INeuroglancerFrameViewer): void {
    const remove = viewer.state.changed.add(() => {
      window.clearTimeout(this._readTimer);
      this._readTimer = window.setTimeout(() => {
        this._readTimer = 0;
        const current = this._viewer();
        if (current === viewer) {
          this._read(viewer);
        }
      }, READ_DELAY_MS);
    });
    this._detach = remove;
    this._read(viewer);
  }

  private _read(viewer: INeuroglancerFrameViewer): void {
    let text: string;
    try {
      text = JSON.stringify(viewer.state.toJSON());
    } catch {
      return;
    }
    if (!text || text === this._text) {
      return;
    }
    this._text = text;
    // Parsed again: a plain object of this window, not one of the iframe's.
    this._state = JSON.parse(text) as NeuroglancerState;
    this._stateChanged.emit(this._state);
  }

  private _viewer(): INeuroglancerFrameViewer | null {
    try {
      const viewer = (this._frame.contentWindow as any)?.viewer;
      return typeof viewer?.state?.toJSON === 'function' &&
        typeof viewer.state.changed?.add === 'function'
        ? (viewer as INeuroglancerFrameViewer)
        : null;
    } catch {
      return null; // not same-origin (yet)
    }
  }

  private _stopLooking(): void {
    window.clearInterval(this._findTimer);
    this._findTimer = 0;
  }

  private _state: NeuroglancerState | null;
  private _text: string;
  private _detach: (() => void) | null = null;
  private _findTimer = 0;
  private _readTimer = 0;
  private _isDisposed = false;
  private _stateChanged = new Signal<this, NeuroglancerState>(this);
}
