/**
 * What happens to the kernels of notebooks and consoles, as soon as JupyterLab knows it: a
 * restart, a kernel that died, a kernel shut down or replaced. The panels of that kernel's
 * viewers react at once instead of waiting for the next status poll.
 *
 * It also finds a notebook or console again (by path or kernel), to recreate a viewer there.
 */
import { ISessionContext } from '@jupyterlab/apputils';
import { Kernel } from '@jupyterlab/services';
import { ISignal, Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';

import { IKernelTarget } from '../kernelExecution';
import { IKernelContext } from './viewerStatus';

/**
 * A widget with a kernel session: a notebook panel or a console panel.
 */
export type SessionWidget = Widget & { sessionContext: ISessionContext };

/**
 * Something that happened to kernel `kernelId`:
 * - `restarting`: it is restarting (its viewers are lost with its process);
 * - `dead`: it died;
 * - `left`: its notebook or console moved to another kernel, or has none any more (it may
 *   have been shut down).
 */
export interface IKernelEvent {
  kernelId: string;
  kind: 'restarting' | 'dead' | 'left';
}

/**
 * Watches the session contexts of notebook and console widgets.
 */
export class KernelWatcher {
  /** Emitted for every kernel event seen. */
  get kernelEvent(): ISignal<this, IKernelEvent> {
    return this._kernelEvent;
  }

  /**
   * Follow `widget`'s kernel for as long as the widget lives.
   */
  watch(widget: SessionWidget): void {
    const context = widget.sessionContext;
    if (this._widgets.has(widget)) {
      return;
    }
    this._widgets.add(widget);
    const onStatus = (_: ISessionContext, status: Kernel.Status) => {
      const kernelId = context.session?.kernel?.id;
      if (!kernelId) {
        return;
      }
      if (status === 'restarting' || status === 'autorestarting') {
        this._kernelEvent.emit({ kernelId, kind: 'restarting' });
      } else if (status === 'dead') {
        this._kernelEvent.emit({ kernelId, kind: 'dead' });
      }
    };
    const onKernel = (
      _: ISessionContext,
      change: { oldValue: Kernel.IKernelConnection | null }
    ) => {
      if (change.oldValue) {
        this._kernelEvent.emit({ kernelId: change.oldValue.id, kind: 'left' });
      }
    };
    context.statusChanged.connect(onStatus);
    context.kernelChanged.connect(onKernel);
    widget.disposed.connect(() => {
      context.statusChanged.disconnect(onStatus);
      context.kernelChanged.disconnect(onKernel);
      this._widgets.delete(widget);
    });
  }

  /**
   * The open notebook or console of `context` (by path, else by tab label), or of kernel
   * `kernelId`; `null` when none is open.
   */
  find(
    context: IKernelContext | null,
    kernelId?: string
  ): SessionWidget | null {
    const widgets = [...this._widgets].filter(widget => !widget.isDisposed);
    const byPath = context?.path
      ? widgets.find(widget => widget.sessionContext.path === context.path)
      : undefined;
    const byKernel = kernelId
      ? widgets.find(
          widget => widget.sessionContext.session?.kernel?.id === kernelId
        )
      : undefined;
    const byLabel = context
      ? widgets.find(widget => widget.title.label === context.label)
      : undefined;
    return byPath ?? byKernel ?? byLabel ?? null;
  }

  /**
   * `widget` as a target for `evaluateInKernel`.
   */
  static target(widget: SessionWidget): IKernelTarget {
    return { context: widget.sessionContext, label: widget.title.label };
  }

  private _widgets = new Set<SessionWidget>();
  private _kernelEvent = new Signal<this, IKernelEvent>(this);
}
