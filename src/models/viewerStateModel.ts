/**
 * A live model of one Neuroglancer viewer's state, for the sidebar: it follows the viewer's own
 * `state.changed` signal (inside the panel's iframe) and changes the viewer on request.
 *
 * It touches no DOM: the viewer comes from an `IViewerSource`, so tests can pass a fake one.
 * Neuroglancer keeps the kernel's Python `viewer.state` in sync with the viewer in the iframe,
 * so what this model changes reaches the kernel by itself.
 */
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import { NeuroglancerState } from '../neuroglancerState';
import { layerSpecs } from './layerRows';

/**
 * The parts of Neuroglancer's `window.viewer` this model uses.
 */
export interface INeuroglancerViewer {
  state: {
    toJSON(): unknown;
    /** Restores the keys present in its argument; the others keep their value. */
    restoreState(json: unknown): void;
    /** Back to the defaults: `reset()` then `restoreState(x)` makes the state exactly `x`. */
    reset(): void;
    changed: { add(callback: () => void): () => unknown };
  };
  layerManager?: { managedLayers: ArrayLike<IManagedLayer> };
}

/**
 * A layer as Neuroglancer's layer manager holds it.
 */
export interface IManagedLayer {
  name: string;
  visible: boolean;
  setVisible(visible: boolean): void;
  /** The layer itself; its `type` is `new` when Neuroglancer did not know the type asked for. */
  layer?: { type?: string } | null;
}

/**
 * Where the model finds the viewer: a panel's iframe, or a fake in tests.
 */
export interface IViewerSource {
  /** The viewer, or `null` while the page loads. */
  getViewer(): INeuroglancerViewer | null;
  /** Call `callback` whenever the viewer page (re)loads; returns a function that stops. */
  onReload(callback: () => void): () => void;
}

/**
 * Why `applyState` refused a state. Neuroglancer's own message is in `detail`.
 */
export type ApplyProblem =
  | { reason: 'no-viewer' }
  | { reason: 'rejected'; detail: string }
  | { reason: 'layer-not-created'; layer: string }
  | { reason: 'unknown-layer-type'; layer: string; type: string };

/**
 * The outcome of `applyState`: on failure the viewer's state is what it was before.
 */
export type ApplyResult = { ok: true } | ({ ok: false } & ApplyProblem);

/**
 * After a read of the state that took `d` ms, the next waits `READ_PAUSE * d` ms: reading takes
 * at most 1 / (1 + READ_PAUSE) of the time.
 */
const READ_PAUSE = 10;

/**
 * The layer types a state may ask for that Neuroglancer resolves itself.
 */
const TYPES_RESOLVED_LATER = new Set(['new', 'auto']);

/**
 * A live model of one viewer's state.
 */
export class ViewerStateModel implements IDisposable {
  constructor(
    private _source: IViewerSource,
    options: ViewerStateModel.IOptions = {}
  ) {
    this._maxInterval = options.maxInterval ?? 200;
    this._now = options.now ?? (() => performance.now());
    this._pollInterval = options.pollInterval ?? 250;
    this._stopReload = _source.onReload(() => this._attach());
    this._attach();
  }

  /** The viewer's state (a copy, plain JSON), or `null` until the viewer is there. */
  get state(): NeuroglancerState | null {
    return this._state;
  }

  /** Emitted when `state` changes, at the end of the task that changed it (see `_schedule`). */
  get stateChanged(): ISignal<this, NeuroglancerState | null> {
    return this._stateChanged;
  }

  /** How many state changes have been emitted. */
  get generation(): number {
    return this._generation;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._detach();
    this._stopReload();
    Signal.clearData(this);
  }

  /**
   * Show or hide the layer `name` at once. Returns `false` when there is no such layer.
   */
  setLayerVisible(name: string, visible: boolean): boolean {
    const layer = this._managedLayer(name);
    if (!layer) {
      return false;
    }
    layer.setVisible(visible);
    return true;
  }

  /**
   * Change some top-level keys of the state (`{layout: 'xz'}`), keeping the others.
   * Returns Neuroglancer's error message when it refuses the values (nothing is changed then).
   */
  update(partial: NeuroglancerState): ApplyResult {
    const viewer = this._viewer;
    if (!viewer) {
      return { ok: false, reason: 'no-viewer' };
    }
    const before = this._snapshot(viewer, Object.keys(partial));
    try {
      viewer.state.restoreState(partial);
    } catch (error) {
      this._restore(viewer, before, false);
      return { ok: false, reason: 'rejected', detail: errorMessage(error) };
    }
    this._flush();
    return { ok: true };
  }

  /**
   * Make the viewer's state exactly `state`, as Neuroglancer does for a URL or for the kernel.
   * When Neuroglancer throws, or leaves out a layer it could not create, the previous state is
   * restored and the reason returned.
   */
  applyState(state: NeuroglancerState): ApplyResult {
    const viewer = this._viewer;
    if (!viewer) {
      return { ok: false, reason: 'no-viewer' };
    }
    const before = viewer.state.toJSON();
    let problem: ApplyProblem | null = null;
    try {
      viewer.state.reset();
      viewer.state.restoreState(state);
      problem = this._checkLayers(state);
    } catch (error) {
      problem = { reason: 'rejected', detail: errorMessage(error) };
    }
    if (problem) {
      this._restore(viewer, before, true);
      this._flush();
      return { ok: false, ...problem };
    }
    this._flush();
    return { ok: true };
  }

  /**
   * Neuroglancer reports a layer it cannot create in its own status bar and goes on without
   * it; an unknown type becomes an empty "new" layer. The sidebar refuses both.
   */
  private _checkLayers(state: NeuroglancerState): ApplyProblem | null {
    for (const spec of layerSpecs(state)) {
      const name = typeof spec.name === 'string' ? spec.name : '';
      const managed = this._managedLayer(name);
      if (!managed) {
        return { reason: 'layer-not-created', layer: name };
      }
      const asked = typeof spec.type === 'string' ? spec.type : 'auto';
      const made = managed.layer?.type;
      if (!TYPES_RESOLVED_LATER.has(asked) && made === 'new') {
        return { reason: 'unknown-layer-type', layer: name, type: asked };
      }
    }
    return null;
  }

  private _managedLayer(name: string): IManagedLayer | null {
    const layers = this._viewer?.layerManager?.managedLayers;
    if (!layers) {
      return null;
    }
    for (let i = 0; i < layers.length; i++) {
      if (layers[i].name === name) {
        return layers[i];
      }
    }
    return null;
  }

  private _snapshot(
    viewer: INeuroglancerViewer,
    keys: string[]
  ): Record<string, unknown> {
    const whole = viewer.state.toJSON() as Record<string, unknown>;
    const part: Record<string, unknown> = {};
    for (const key of keys) {
      part[key] = whole[key];
    }
    return part;
  }

  private _restore(
    viewer: INeuroglancerViewer,
    state: unknown,
    reset: boolean
  ): void {
    try {
      if (reset) {
        viewer.state.reset();
      }
      viewer.state.restoreState(state);
    } catch (error) {
      // The state came from this viewer a moment ago: this is not expected to fail.
      console.error('Neuroglancer did not take its own state back', error);
    }
  }

  /**
   * Follow the viewer the source has now; poll until the page has made one.
   */
  private _attach(): void {
    this._detach();
    if (this._isDisposed) {
      return;
    }
    const viewer = this._source.getViewer();
    if (!viewer) {
      this._pollTimer = setTimeout(() => this._attach(), this._pollInterval);
      return;
    }
    this._viewer = viewer;
    const remove = viewer.state.changed.add(() => this._schedule());
    this._stopChanged = () => {
      remove();
    };
    this._flush();
  }

  private _detach(): void {
    this._stopChanged?.();
    this._stopChanged = null;
    this._viewer = null;
    for (const timer of [this._pollTimer, this._emitTimer]) {
      if (timer !== null) {
        clearTimeout(timer);
      }
    }
    this._pollTimer = null;
    this._emitTimer = null;
    this._flushQueued = false;
  }

  /**
   * Neuroglancer signals `changed` hundreds of times a second while it loads data, mostly for
   * things that are not in the state; and while it draws in software, one frame can take
   * 200 ms. So:
   *
   * - the state is read in a microtask, right after the task that changed it (Neuroglancer
   *   signals in the middle of restoring a state), never on a timer when it can be helped:
   *   timers wait behind the viewer's frames, its signals do not;
   * - reading the state (to see whether it changed) may take at most a tenth of the time:
   *   after a read that took `d` ms, the next waits until `10 d` ms have passed (at most
   *   `maxInterval`). A small state is read after every change; a timer only catches the last
   *   change of a burst. Showing a state that did change is not delayed.
   */
  private _schedule(): void {
    if (this._flushQueued) {
      return;
    }
    const wait = this._nextCheck - this._now();
    if (wait <= 0) {
      if (this._emitTimer !== null) {
        clearTimeout(this._emitTimer);
        this._emitTimer = null;
      }
      this._flushQueued = true;
      void Promise.resolve().then(() => {
        if (this._flushQueued) {
          this._flush();
        }
      });
    } else if (this._emitTimer === null) {
      this._emitTimer = setTimeout(() => this._flush(), Math.ceil(wait));
    }
  }

  /** Read the state now and emit it if it is different. */
  private _flush(): void {
    this._flushQueued = false;
    if (this._emitTimer !== null) {
      clearTimeout(this._emitTimer);
      this._emitTimer = null;
    }
    const viewer = this._viewer;
    if (!viewer) {
      return;
    }
    this._read(viewer);
  }

  private _read(viewer: INeuroglancerViewer): void {
    const start = this._now();
    let text: string;
    try {
      text = JSON.stringify(viewer.state.toJSON());
    } catch {
      // The page is going away (reload): its `load` event attaches again.
      return;
    } finally {
      const end = this._now();
      this._nextCheck =
        end + Math.min(this._maxInterval, READ_PAUSE * (end - start));
    }
    if (text === this._text) {
      return;
    }
    this._text = text;
    // Parsed again: a plain copy in this window, never the iframe's own objects.
    this._state = JSON.parse(text) as NeuroglancerState;
    this._generation++;
    this._stateChanged.emit(this._state);
  }

  private _viewer: INeuroglancerViewer | null = null;
  private _state: NeuroglancerState | null = null;
  private _text = '';
  private _generation = 0;
  private _maxInterval: number;
  private _now: () => number;
  /** When the state may be read again. */
  private _nextCheck = -Infinity;
  private _flushQueued = false;
  private _pollInterval: number;
  private _pollTimer: ReturnType<typeof setTimeout> | null = null;
  private _emitTimer: ReturnType<typeof setTimeout> | null = null;
  private _stopChanged: (() => void) | null = null;
  private _stopReload: () => void;
  private _isDisposed = false;
  private _stateChanged = new Signal<this, NeuroglancerState | null>(this);
}

export namespace ViewerStateModel {
  export interface IOptions {
    /**
     * The longest wait between a change and reading the state, for states so large that reading
     * them takes long (default 200 ms).
     */
    maxInterval?: number;
    /** The clock, in milliseconds (default `performance.now`). */
    now?: () => number;
    /** Milliseconds between looks for the viewer while its page loads (default 250). */
    pollInterval?: number;
  }
}

/**
 * The message of an error thrown in the iframe: `instanceof Error` fails across windows.
 */
function errorMessage(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}
