/**
 * Watches whether the viewer of each panel is still alive.
 *
 * Visible panels ask the server about once a second (`api/viewers/<id>/status`: a look at the
 * kernel manager and one small loopback request); hidden ones every few seconds. Kernel events
 * (a restart, a dead kernel) end a panel's viewer at once, without waiting for the server.
 * A gone viewer stays gone: its panel offers to recreate it, and only switching the panel to
 * another viewer starts watching again.
 */
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import { NeuroglancerPanel } from '../widgets/neuroglancerPanel';
import { IKernelEvent } from './kernelWatcher';
import { getViewerStatus, ViewerStatus } from './viewerStatus';

/** A panel's new status. */
export interface IPanelStatus {
  panel: NeuroglancerPanel;
  status: ViewerStatus;
}

/**
 * Polls viewer statuses for a set of panels.
 */
export class ViewerMonitor implements IDisposable {
  constructor(options: ViewerMonitor.IOptions = {}) {
    this._getStatus = options.getStatus ?? getViewerStatus;
    this._hiddenEvery = options.hiddenEvery ?? 10;
    this._timer = setInterval(() => this._tick(), options.interval ?? 1000);
  }

  /** Emitted when a panel's status changes. */
  get statusChanged(): ISignal<this, IPanelStatus> {
    return this._statusChanged;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Every watched panel. */
  get panels(): NeuroglancerPanel[] {
    return [...this._entries.keys()];
  }

  /** The last known status of `panel`'s viewer (`null` before the first answer). */
  status(panel: NeuroglancerPanel): ViewerStatus | null {
    return this._entries.get(panel)?.status ?? null;
  }

  /**
   * Watch `panel` until it is disposed.
   */
  add(panel: NeuroglancerPanel): void {
    if (this._entries.has(panel)) {
      return;
    }
    const entry: Private.IEntry = {
      recordId: panel.record.id,
      status: null,
      inFlight: false,
      ticks: 0
    };
    this._entries.set(panel, entry);
    panel.recordChanged.connect(this._onRecordChanged, this);
    panel.disposed.connect(() => {
      this._entries.delete(panel);
    });
    void this.check(panel);
  }

  /**
   * Ask the server about `panel`'s viewer now.
   */
  async check(panel: NeuroglancerPanel): Promise<void> {
    const entry = this._entries.get(panel);
    if (!entry || entry.inFlight || Private.ended(entry)) {
      return;
    }
    const recordId = panel.record.id;
    entry.inFlight = true;
    let status: ViewerStatus | null = null;
    try {
      status = await this._getStatus(recordId);
    } catch {
      // The server could not be reached: say nothing until it can.
    } finally {
      entry.inFlight = false;
    }
    if (status && entry.recordId === recordId && !Private.ended(entry)) {
      this._set(panel, entry, status);
    }
  }

  /**
   * React to a kernel event: the panels whose viewer lives in that kernel end at once (a
   * restart, a dead kernel) or are checked now (the kernel left its notebook).
   */
  onKernelEvent(event: IKernelEvent): void {
    for (const [panel, entry] of this._entries) {
      const owner = panel.record.owner;
      if (owner.kind !== 'kernel' || owner.kernel_id !== event.kernelId) {
        continue;
      }
      if (event.kind === 'left') {
        void this.check(panel);
      } else if (!Private.ended(entry)) {
        this._set(panel, entry, {
          alive: false,
          reason:
            event.kind === 'restarting' ? 'kernel-restarted' : 'kernel-stopped'
        });
      }
    }
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    clearInterval(this._timer);
    this._entries.clear();
    Signal.clearData(this);
  }

  private _onRecordChanged(panel: NeuroglancerPanel): void {
    const entry = this._entries.get(panel);
    if (!entry) {
      return;
    }
    entry.recordId = panel.record.id;
    entry.status = null;
    entry.inFlight = false;
    void this.check(panel);
  }

  private _set(
    panel: NeuroglancerPanel,
    entry: Private.IEntry,
    status: ViewerStatus
  ): void {
    const previous = entry.status;
    entry.status = status;
    if (
      previous?.alive !== status.alive ||
      previous?.reason !== status.reason
    ) {
      this._statusChanged.emit({ panel, status });
    }
  }

  private _tick(): void {
    for (const [panel, entry] of this._entries) {
      entry.ticks += 1;
      if (panel.isVisible || entry.ticks >= this._hiddenEvery) {
        entry.ticks = 0;
        void this.check(panel);
      }
    }
  }

  private _getStatus: (id: string) => Promise<ViewerStatus>;
  private _hiddenEvery: number;
  private _timer: ReturnType<typeof setInterval>;
  private _isDisposed = false;
  private _entries = new Map<NeuroglancerPanel, Private.IEntry>();
  private _statusChanged = new Signal<this, IPanelStatus>(this);
}

export namespace ViewerMonitor {
  export interface IOptions {
    /** Milliseconds between checks of visible panels (default 1000). */
    interval?: number;
    /** Hidden panels are checked every this many intervals (default 10). */
    hiddenEvery?: number;
    /** How to ask for a status (default: the server). */
    getStatus?: (id: string) => Promise<ViewerStatus>;
  }
}

namespace Private {
  export interface IEntry {
    /** The record the status is about. */
    recordId: string;
    status: ViewerStatus | null;
    inFlight: boolean;
    ticks: number;
  }

  export function ended(entry: IEntry): boolean {
    return entry.status !== null && !entry.status.alive;
  }
}
