/**
 * The dockable Neuroglancer panel: a main-area widget around an iframe on the proxied viewer.
 */
import { MainAreaWidget } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { Message } from '@lumino/messaging';
import { ISignal, Signal } from '@lumino/signaling';
import {
  IFrame,
  launchIcon,
  refreshIcon,
  saveIcon,
  ToolbarButton
} from '@jupyterlab/ui-components';

import { neuroglancerIcon } from '../icons';
import { ViewerStateFollower } from '../lifecycle/stateFollower';
import { IKernelContext, IReplacedViewer } from '../lifecycle/viewerStatus';
import { NeuroglancerState } from '../neuroglancerState';
import { viewerPageUrl } from '../serverApi';
import { INeuroglancerPanel, IViewerRecord } from '../tokens';

/**
 * The iframe must be same-origin and scriptable so the sidebar can read `window.viewer`.
 * State documents (`stateDocument.ts`) frame their viewer the same way.
 */
export const VIEWER_SANDBOX: IFrame.SandboxExceptions[] = [
  'allow-scripts',
  'allow-same-origin',
  'allow-downloads',
  'allow-forms',
  'allow-modals',
  'allow-popups',
  'allow-pointer-lock'
];

/**
 * How long a hidden panel keeps its viewer page (and so its WebGL context) before unloading it.
 */
const UNLOAD_HIDDEN_AFTER_MS = 1500;

/**
 * A Neuroglancer viewer in the main area.
 *
 * The panel outlives its viewer: it keeps the viewer's last state, and can switch to another
 * viewer (recreated in the kernel after a restart, or kept standalone) with `switchViewer`.
 * While hidden it unloads the viewer page, which frees its WebGL context; the state lives in the
 * viewer's Python server, so showing the panel again brings everything back.
 */
export class NeuroglancerPanel
  extends MainAreaWidget<IFrame>
  implements INeuroglancerPanel
{
  constructor(options: NeuroglancerPanel.IOptions) {
    const content = new IFrame({
      sandbox: VIEWER_SANDBOX,
      referrerPolicy: 'same-origin'
    });
    super({ content });
    const { record, contextLabel, trans } = options;
    this._trans = trans;
    this._record = record;
    this._context = contextLabel
      ? { label: contextLabel, path: options.contextPath }
      : null;
    this._replaced = options.replaced ?? null;
    this.restoreKey = options.restoreKey ?? record.id;
    this.id = `neuroglancer-${this.restoreKey}`;
    this.addClass('jp-NeuroglancerPanel');
    this.title.icon = neuroglancerIcon;
    this.title.closable = true;
    this._refreshTitle();
    this._follower = new ViewerStateFollower(
      content.node.querySelector('iframe')!,
      options.lastState ?? null
    );
    this._follower.stateChanged.connect(() =>
      this._lifecycleChanged.emit(undefined)
    );
    // The page loads when the panel is first shown (see `_load`).

    this.toolbar.addItem(
      'reload',
      new ToolbarButton({
        icon: refreshIcon,
        tooltip: trans.__('Reload the viewer'),
        onClick: () => this.reload()
      })
    );
    const { onSaveState } = options;
    if (onSaveState) {
      this.toolbar.addItem(
        'save-state',
        new ToolbarButton({
          icon: saveIcon,
          label: trans.__('Save state as…'),
          tooltip: trans.__(
            'Save the viewer state as a .ng.json file in the file browser folder'
          ),
          onClick: () => onSaveState(this)
        })
      );
    }
    this.toolbar.addItem(
      'open-tab',
      new ToolbarButton({
        icon: launchIcon,
        tooltip: trans.__('Open this viewer in a new browser tab'),
        onClick: () =>
          window.open(viewerPageUrl(this.record), '_blank', 'noopener')
      })
    );
  }

  /** The registry record of the viewer shown; it changes with `switchViewer`. */
  get record(): IViewerRecord {
    return this._record;
  }

  /** Emitted when the panel switches to another viewer. */
  get recordChanged(): ISignal<this, IViewerRecord> {
    return this._recordChanged;
  }

  /**
   * The name the layout restorer knows this panel by: its first viewer's id, kept across
   * switches and reloads so that the panel comes back in its place.
   */
  readonly restoreKey: string;

  /** The notebook or console whose kernel holds the viewer; `null` for a server-hosted one. */
  get context(): IKernelContext | null {
    return this._context;
  }

  /**
   * The gone kernel viewer this (server-hosted) viewer stands in for, while the panel offers to
   * recreate it in its kernel; set it to `null` once done or declined.
   */
  get replaced(): IReplacedViewer | null {
    return this._replaced;
  }
  set replaced(value: IReplacedViewer | null) {
    this._replaced = value;
    this._lifecycleChanged.emit(undefined);
  }

  /**
   * The viewer's latest state: followed live while its page is loaded, and kept when the page
   * or the viewer goes away. `null` until the first state is known.
   */
  get lastState(): NeuroglancerState | null {
    return this._follower.state;
  }

  /**
   * Emitted when what the layout restorer saves changes: the last state, the record, or
   * `replaced`.
   */
  get lifecycleChanged(): ISignal<this, void> {
    return this._lifecycleChanged;
  }

  /**
   * Whether the viewer is gone (its kernel restarted, say). Its page is then kept loaded while
   * the panel is hidden (the client still shows the last state; the page could not be loaded
   * again), and a page already unloaded is not loaded again.
   */
  get viewerGone(): boolean {
    return this._viewerGone;
  }
  set viewerGone(value: boolean) {
    if (value === this._viewerGone) {
      return;
    }
    this._viewerGone = value;
    if (value) {
      window.clearTimeout(this._unloadTimer);
    } else if (!this.isVisible) {
      this._scheduleUnload();
    } else if (!this._loaded) {
      this._load();
    }
  }

  /**
   * Keep the viewer page loaded while the panel is hidden: the panel focused last is followed by
   * the state sidebar, which reads the page's viewer.
   */
  get keepLoadedWhenHidden(): boolean {
    return this._keepLoaded;
  }
  set keepLoadedWhenHidden(value: boolean) {
    if (value === this._keepLoaded) {
      return;
    }
    this._keepLoaded = value;
    if (value) {
      window.clearTimeout(this._unloadTimer);
    } else if (!this.isVisible) {
      this._scheduleUnload();
    }
  }

  /** Whether the viewer page is loaded: it is not before the panel is first shown, nor while
   * it is hidden (after a short delay). */
  get isLoaded(): boolean {
    return this._loaded;
  }

  /**
   * Show another viewer in this panel: the same tab, a new record. `context` is the notebook or
   * console of a kernel viewer, `null` for a server-hosted one.
   */
  switchViewer(record: IViewerRecord, context: IKernelContext | null): void {
    this._follower.capture();
    this._follower.detach();
    this._record = record;
    this._context = context;
    this._refreshTitle();
    this._loaded = false;
    if (this.isVisible) {
      this._load();
    } else {
      this.content.url = 'about:blank';
    }
    this._recordChanged.emit(record);
    this._lifecycleChanged.emit(undefined);
  }

  /** The iframe's window: same origin, so `viewerWindow.viewer` is Neuroglancer's viewer. */
  get viewerWindow(): Window | null {
    return this.content.node.querySelector('iframe')?.contentWindow ?? null;
  }

  /**
   * The viewer's state now (a plain copy), or `null` while its page loads.
   */
  currentState(): NeuroglancerState | null {
    try {
      const viewer = (this.viewerWindow as any)?.viewer;
      const state = viewer?.state?.toJSON?.();
      // Parsed again: a plain object of this window, not the iframe's.
      return state
        ? (JSON.parse(JSON.stringify(state)) as NeuroglancerState)
        : null;
    } catch {
      return null;
    }
  }

  /** Load the viewer page again (its state lives in the viewer's server, so nothing is lost). */
  reload(): void {
    this._follower.capture();
    this._loaded = false;
    this.content.url = '';
    this._load();
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    window.clearTimeout(this._unloadTimer);
    this._follower.dispose();
    super.dispose();
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    if (this.isVisible && !this._loaded && !this._viewerGone) {
      this._load();
    }
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    window.clearTimeout(this._unloadTimer);
    if (!this._loaded && !this._viewerGone) {
      this._load();
    }
  }

  protected onAfterHide(msg: Message): void {
    super.onAfterHide(msg);
    this._scheduleUnload();
  }

  /** Load the viewer page (a hidden panel's WebGL context is given back by `_unload`). */
  private _load(): void {
    window.clearTimeout(this._unloadTimer);
    this._loaded = true;
    this.content.url = viewerPageUrl(this.record);
  }

  private _scheduleUnload(): void {
    window.clearTimeout(this._unloadTimer);
    if (this._viewerGone || this._keepLoaded || !this._loaded) {
      return;
    }
    this._unloadTimer = window.setTimeout(() => {
      if (
        this.isVisible ||
        this._viewerGone ||
        this._keepLoaded ||
        this.isDisposed
      ) {
        return;
      }
      // The state lives in the viewer's server; this copy is for when the viewer is gone.
      this._follower.capture();
      this._follower.detach();
      this._loaded = false;
      this.content.url = 'about:blank';
    }, UNLOAD_HIDDEN_AFTER_MS);
  }

  private _refreshTitle(): void {
    const trans = this._trans;
    const { name, owner } = this._record;
    const label = this._context?.label;
    this.title.label = label ? `${name} · ${label}` : name;
    this.title.caption =
      owner.kind === 'kernel'
        ? trans.__(
            'Neuroglancer viewer "%1" in the kernel of %2',
            name,
            label ?? ''
          )
        : trans.__(
            'Neuroglancer viewer "%1" hosted by the Jupyter server',
            name
          );
  }

  private _trans: TranslationBundle;
  private _record: IViewerRecord;
  private _context: IKernelContext | null;
  private _replaced: IReplacedViewer | null;
  private _follower: ViewerStateFollower;
  private _viewerGone = false;
  private _keepLoaded = false;
  private _loaded = false;
  private _unloadTimer = 0;
  private _recordChanged = new Signal<this, IViewerRecord>(this);
  private _lifecycleChanged = new Signal<this, void>(this);
}

export namespace NeuroglancerPanel {
  export interface IOptions {
    record: IViewerRecord;
    /** The notebook or console whose kernel holds the viewer, if any. */
    contextLabel?: string;
    /** Its session path, to find it again (to recreate the viewer there). */
    contextPath?: string;
    trans: TranslationBundle;
    /** The layout restorer's name for the panel (default: the record's id). */
    restoreKey?: string;
    /** The viewer's last known state (saved with the workspace). */
    lastState?: NeuroglancerState | null;
    /** The gone kernel viewer this server-hosted one replaces (see `replaced`). */
    replaced?: IReplacedViewer | null;
    /** Save the panel's state as a file ("Save state as…" on the toolbar; no button without). */
    onSaveState?: (panel: NeuroglancerPanel) => void;
  }
}
