/**
 * Whether a viewer is still alive, as the server extension answers it
 * (`GET neuroglancer/api/viewers/<id>/status`), and what the panel remembers about where its
 * viewer lived.
 */
import { requestAPI } from '../serverApi';

/**
 * Why a viewer is gone:
 * - `kernel-restarted`: its kernel restarted (a new process, which has lost every viewer);
 * - `kernel-stopped`: its kernel was shut down or died;
 * - `server-stopped`: its Neuroglancer server no longer serves it, though the kernel runs;
 * - `closed`: it was removed from the server's registry;
 * - `unknown`: the server does not know it (the Jupyter server probably restarted).
 */
export type ViewerEndReason =
  | 'kernel-restarted'
  | 'kernel-stopped'
  | 'server-stopped'
  | 'closed'
  | 'unknown';

/**
 * A viewer's liveness.
 */
export type ViewerStatus =
  { alive: true; reason: null } | { alive: false; reason: ViewerEndReason };

/**
 * The server's answer for viewer `id`.
 */
export async function getViewerStatus(id: string): Promise<ViewerStatus> {
  const body = await requestAPI<{ alive: boolean; reason: string | null }>(
    `viewers/${encodeURIComponent(id)}/status`
  );
  return body.alive
    ? { alive: true, reason: null }
    : { alive: false, reason: (body.reason ?? 'unknown') as ViewerEndReason };
}

/**
 * The notebook or console whose kernel holds (or held) a viewer.
 */
export interface IKernelContext {
  /** Its tab label, e.g. `analysis.ipynb`. */
  label: string;
  /** Its session path (a notebook's path relative to the server root), to find it again. */
  path?: string;
}

/**
 * A kernel viewer that is gone, replaced in its panel by a server-hosted viewer holding its last
 * state (after a browser reload); the panel offers to recreate it in its kernel.
 */
export interface IReplacedViewer {
  /** The Python variable (or title) of the viewer. */
  name: string;
  /** Where it lived. */
  context: IKernelContext;
  /** Why it could not be reattached. */
  reason: ViewerEndReason;
}
