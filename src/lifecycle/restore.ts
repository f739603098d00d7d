/**
 * Panels after a browser reload: what the layout restorer saves for each panel, and how a
 * panel's viewer is found again. A viewer that is still alive is reattached; one that is gone
 * comes back from its last state in a server-hosted viewer, and the panel then offers to
 * recreate it in its kernel.
 */
import { WidgetTracker } from '@jupyterlab/apputils';

import { NeuroglancerState } from '../neuroglancerState';
import { createHostedViewer, getViewer, ServerApiError } from '../serverApi';
import { INeuroglancerPanel, IViewerRecord } from '../tokens';
import { NeuroglancerPanel } from '../widgets/neuroglancerPanel';
import {
  getViewerStatus,
  IReplacedViewer,
  ViewerEndReason
} from './viewerStatus';

/** The most often a panel's restore arguments are saved. */
const SAVE_DELAY_MS = 1000;

/**
 * What the layout restorer saves for a panel: the arguments of `neuroglancer:open-viewer`.
 */
export interface IRestoredPanelArgs {
  /** The registry id of the viewer shown at the time. */
  id: string;
  restoring: boolean;
  /** The panel's name for the restorer (stable across viewer switches). */
  restoreKey: string;
  /** The viewer's name (its Python variable, or what was opened). */
  name: string;
  /** Whether the viewer lived in a kernel. */
  inKernel: boolean;
  /** The notebook or console of that kernel. */
  contextLabel?: string;
  contextPath?: string;
  /** The viewer's last state. */
  state?: NeuroglancerState;
  /** The gone kernel viewer that the (hosted) viewer stands in for. */
  replaced?: IReplacedViewer;
}

/**
 * The restorer's arguments for `panel`.
 */
export function restoredPanelArgs(
  panel: INeuroglancerPanel
): IRestoredPanelArgs {
  const args: IRestoredPanelArgs = {
    id: panel.record.id,
    restoring: true,
    restoreKey: panel.record.id,
    name: panel.record.name,
    inKernel: panel.record.owner.kind === 'kernel'
  };
  if (panel instanceof NeuroglancerPanel) {
    args.restoreKey = panel.restoreKey;
    if (panel.context) {
      args.contextLabel = panel.context.label;
      args.contextPath = panel.context.path;
    }
    if (panel.lastState) {
      args.state = panel.lastState;
    }
    if (panel.replaced) {
      args.replaced = panel.replaced;
    }
  }
  return args;
}

/**
 * The restorer's name for `panel`.
 */
export function restoredPanelName(panel: INeuroglancerPanel): string {
  return panel instanceof NeuroglancerPanel
    ? panel.restoreKey
    : panel.record.id;
}

/**
 * Save a panel's restore arguments again whenever they change (its state, above all), at most
 * once a second, so that the workspace always holds the last state.
 */
export function saveOnChange(
  tracker: WidgetTracker<INeuroglancerPanel>,
  panel: INeuroglancerPanel
): void {
  if (!(panel instanceof NeuroglancerPanel)) {
    return;
  }
  let timer = 0;
  panel.lifecycleChanged.connect(() => {
    if (timer) {
      return;
    }
    timer = window.setTimeout(() => {
      timer = 0;
      if (!panel.isDisposed && tracker.has(panel)) {
        void tracker.save(panel);
      }
    }, SAVE_DELAY_MS);
  });
  panel.disposed.connect(() => window.clearTimeout(timer));
}

/**
 * A restored panel's viewer: the same record when the viewer is alive, else a new server-hosted
 * viewer with the saved state (with `replaced` set for a gone kernel viewer). `null` when the
 * viewer is gone and no state was saved (a workspace from an older version).
 */
export async function findRestoredViewer(
  args: Partial<IRestoredPanelArgs> & { id: string }
): Promise<{ record: IViewerRecord; replaced: IReplacedViewer | null } | null> {
  let reason: ViewerEndReason = 'unknown';
  try {
    const status = await getViewerStatus(args.id);
    if (status.alive) {
      return {
        record: await getViewer(args.id),
        replaced: args.replaced ?? null
      };
    }
    reason = status.reason;
  } catch (error) {
    // A server without the status route (or a viewer gone in between): ask for the record.
    if (!(error instanceof ServerApiError) || error.status === 0) {
      throw error;
    }
    try {
      return {
        record: await getViewer(args.id),
        replaced: args.replaced ?? null
      };
    } catch (inner) {
      if (!(inner instanceof ServerApiError) || inner.status !== 404) {
        throw inner;
      }
    }
  }
  if (!args.state) {
    return null;
  }
  const record = await createHostedViewer({
    state: args.state,
    name: args.name || 'Neuroglancer'
  });
  let replaced = args.replaced ?? null;
  if (!replaced && args.inKernel && args.contextLabel) {
    replaced = {
      name: args.name ?? record.name,
      context: { label: args.contextLabel, path: args.contextPath },
      reason
    };
  }
  return { record, replaced };
}
