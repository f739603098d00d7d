/**
 * What "Open in Neuroglancer" does with a path from the file browser: a state file opens as a
 * document, anything else is a dataset that the server inspects (`api/datasets`) and turns into
 * a Neuroglancer state.
 */
import { NeuroglancerState } from './neuroglancerState';
import { requestAPI } from './serverApi';

/**
 * The formats the server recognises (see `server/datasets_handler.py`).
 */
export type DatasetFormat =
  'zarr2' | 'zarr3' | 'ome-zarr' | 'n5' | 'precomputed' | 'nifti';

/**
 * The answer of `GET api/datasets`.
 */
export interface IDatasetInfo {
  /** The dataset's path relative to the server's root, normalised. */
  path: string;
  format: DatasetFormat;
  /** A name for the viewer: the file or folder name without its dataset suffix. */
  name: string;
  /** A complete state whose sources are absolute same-origin URLs of the file route. */
  state: NeuroglancerState;
}

/**
 * Ask the server what is at `path` (relative to the server's root) and how Neuroglancer shows
 * it. Rejects with a `ServerApiError` whose message is a sentence for the user (400: a bad
 * path, 404: nothing there, 422: not a dataset Neuroglancer can open).
 */
export function inspectDataset(
  path: string,
  origin: string = window.location.origin
): Promise<IDatasetInfo> {
  const query = new URLSearchParams({ path, origin });
  return requestAPI<IDatasetInfo>(`datasets?${query.toString()}`);
}
