/**
 * Paths in the file browser, as "Open in Neuroglancer" sees them (pure functions, no DOM).
 */

/**
 * Dataset metadata files: opening one opens the dataset of its folder (the server's rule).
 */
const METADATA_FILE_NAMES = new Set([
  '.zarray',
  '.zattrs',
  '.zgroup',
  '.zmetadata',
  'zarr.json',
  'info',
  'attributes.json'
]);

/**
 * How a path opens in Neuroglancer: as a state document, or as a dataset.
 */
export type OpenKind = 'state' | 'dataset';

/**
 * `state` for JSON files (`*.ng.json`, any other `*.json`) except the metadata files of
 * datasets (`zarr.json`, `attributes.json`, `.zattrs`…), which stand for their folder;
 * `dataset` for everything else (folders, NIfTI files), which the server inspects.
 */
export function openKind(path: string): OpenKind {
  const name = baseName(path);
  if (METADATA_FILE_NAMES.has(name)) {
    return 'dataset';
  }
  return name.toLowerCase().endsWith('.json') ? 'state' : 'dataset';
}

/**
 * The name of what `path` points at, for messages: its last segment (the root is "/").
 */
export function displayName(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return baseName(trimmed) || '/';
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
