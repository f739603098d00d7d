/**
 * The frontend end of the kernel bridge: it listens for the comm that `show(...)` opens in any
 * notebook or console kernel, and hands each announced viewer on.
 */
import { ISessionContext } from '@jupyterlab/apputils';
import { Kernel, KernelMessage } from '@jupyterlab/services';
import { Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';

import { COMM_TARGET, IKernelViewerAnnouncement } from './tokens';

/**
 * A viewer announced by a kernel, with the session it came from.
 */
export interface IAnnouncedViewer {
  announcement: IKernelViewerAnnouncement;
  kernelId: string;
  /** The tab label of the notebook or console whose kernel announced the viewer. */
  label: string;
  /** Its session path (for a notebook, its path relative to the server root). */
  path: string;
}

/**
 * Watches session contexts and registers the comm target on each of their kernels.
 */
export class KernelViewerBridge {
  /**
   * Emitted for every viewer a watched kernel announces.
   */
  get viewerAnnounced(): Signal<this, IAnnouncedViewer> {
    return this._viewerAnnounced;
  }

  /**
   * Follow the kernel of `widget` for as long as it lives, across kernel changes and restarts.
   */
  watch(widget: Widget & { sessionContext: ISessionContext }): void {
    const context = widget.sessionContext;
    if (this._watched.has(context)) {
      return;
    }
    this._watched.add(context);
    const onKernelChanged = () => this._listenTo(widget);
    context.kernelChanged.connect(onKernelChanged);
    context.disposed.connect(() => {
      context.kernelChanged.disconnect(onKernelChanged);
      this._watched.delete(context);
    });
    this._listenTo(widget);
  }

  private _listenTo(
    widget: Widget & { sessionContext: ISessionContext }
  ): void {
    const kernel = widget.sessionContext.session?.kernel;
    if (!kernel || this._listening.has(kernel)) {
      return;
    }
    this._listening.add(kernel);
    kernel.registerCommTarget(
      COMM_TARGET,
      (comm: Kernel.IComm, msg: KernelMessage.ICommOpenMsg) => {
        // The comm only carries the announcement; closing it frees the kernel side at once.
        comm.close();
        const data = msg.content.data as unknown as IKernelViewerAnnouncement;
        if (
          data?.kind !== 'viewer' ||
          typeof data.port !== 'number' ||
          !data.token
        ) {
          return;
        }
        this._viewerAnnounced.emit({
          announcement: data,
          kernelId: kernel.id,
          label: widget.title.label,
          path: widget.sessionContext.path
        });
      }
    );
  }

  private _watched = new Set<ISessionContext>();
  private _listening = new WeakSet<Kernel.IKernelConnection>();
  private _viewerAnnounced = new Signal<this, IAnnouncedViewer>(this);
}
