/**
 * The "Neuroglancer Viewers" section of JupyterLab's Running panel (the left sidebar, with the
 * kernels and terminals): every open viewer panel, where its viewer lives (a kernel and its
 * notebook, or the Jupyter server), and whether it is live. Clicking one shows its panel.
 */
import { IRunningSessions } from '@jupyterlab/running';
import { Kernel, KernelSpec } from '@jupyterlab/services';
import { TranslationBundle } from '@jupyterlab/translation';
import { closeIcon } from '@jupyterlab/ui-components';
import { Signal } from '@lumino/signaling';

import { neuroglancerIcon } from '../icons';
import { INeuroglancerTracker } from '../tokens';
import { NeuroglancerPanel } from '../widgets/neuroglancerPanel';
import { ViewerMonitor } from './viewerMonitor';
import { ViewerEndReason } from './viewerStatus';

/**
 * The running-sessions manager of Neuroglancer panels.
 */
export class RunningViewers implements IRunningSessions.IManager {
  constructor(private _options: RunningViewers.IOptions) {
    const { tracker, monitor, trans } = _options;
    this.name = trans.__('Neuroglancer Viewers');
    this.shutdownLabel = trans.__('Close Panel');
    this.shutdownAllLabel = trans.__('Close All');
    this.shutdownAllConfirmationText = trans.__(
      'Close all Neuroglancer panels? Viewers in kernels keep running (they are Python variables); viewers hosted by the Jupyter server end with their panels.'
    );
    const changed = () => this._runningChanged.emit(undefined);
    tracker.widgetAdded.connect((_, panel) => {
      changed();
      panel.title.changed.connect(changed);
      panel.disposed.connect(changed);
    });
    tracker.forEach(panel => panel.title.changed.connect(changed));
    monitor.statusChanged.connect(changed);
    _options.kernels.runningChanged.connect(changed);
  }

  readonly name: string;
  readonly shutdownLabel: string;
  readonly shutdownAllLabel: string;
  readonly shutdownAllConfirmationText: string;
  readonly shutdownItemIcon = closeIcon;

  get runningChanged(): Signal<this, void> {
    return this._runningChanged;
  }

  running(): IRunningSessions.IRunningItem[] {
    const items: IRunningSessions.IRunningItem[] = [];
    this._options.tracker.forEach(panel => {
      if (panel instanceof NeuroglancerPanel) {
        items.push(this._item(panel));
      }
    });
    return items;
  }

  refreshRunning(): void {
    this._runningChanged.emit(undefined);
  }

  shutdownAll(): void {
    const panels: NeuroglancerPanel[] = [];
    this._options.tracker.forEach(panel => {
      if (panel instanceof NeuroglancerPanel) {
        panels.push(panel);
      }
    });
    panels.forEach(panel => panel.close());
  }

  private _item(panel: NeuroglancerPanel): IRunningSessions.IRunningItem {
    const { trans, monitor, activate } = this._options;
    const status = monitor.status(panel);
    const live = status === null ? null : status.alive;
    const where = this._where(panel);
    const liveness =
      live === null
        ? trans.__('checking…')
        : live
          ? trans.__('live')
          : this._reason(status!.reason as ViewerEndReason);
    return {
      className: `jp-NeuroglancerRunningViewer ${
        live === false ? 'jp-mod-gone' : live ? 'jp-mod-live' : ''
      }`,
      context: panel.record.id,
      icon: () => neuroglancerIcon,
      label: () => panel.title.label,
      labelTitle: () =>
        trans.__('%1 — %2 — %3', panel.record.name, where, liveness),
      detail: () => `${where} · ${liveness}`,
      open: () => activate(panel.id),
      shutdown: () => panel.close()
    };
  }

  /** Where the viewer lives: `Python 3 (ipykernel)`, or the Jupyter server. */
  private _where(panel: NeuroglancerPanel): string {
    const { trans, kernels, kernelSpecs } = this._options;
    const owner = panel.record.owner;
    if (owner.kind !== 'kernel') {
      return trans.__('Jupyter server');
    }
    let specName: string | undefined;
    for (const model of kernels.running()) {
      if (model.id === owner.kernel_id) {
        specName = model.name;
      }
    }
    const display = specName
      ? (kernelSpecs.specs?.kernelspecs[specName]?.display_name ?? specName)
      : trans.__('kernel');
    return panel.context?.label
      ? trans.__('%1 of %2', display, panel.context.label)
      : display;
  }

  private _reason(reason: ViewerEndReason): string {
    const { trans } = this._options;
    switch (reason) {
      case 'kernel-restarted':
        return trans.__('gone: kernel restarted');
      case 'kernel-stopped':
        return trans.__('gone: kernel stopped');
      case 'server-stopped':
        return trans.__('gone: viewer server stopped');
      default:
        return trans.__('gone');
    }
  }

  private _runningChanged = new Signal<this, void>(this);
}

export namespace RunningViewers {
  export interface IOptions {
    tracker: INeuroglancerTracker;
    monitor: ViewerMonitor;
    kernels: Kernel.IManager;
    kernelSpecs: KernelSpec.IManager;
    trans: TranslationBundle;
    /** Show the panel with this id. */
    activate: (id: string) => void;
  }
}
