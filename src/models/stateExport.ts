/**
 * A viewer's state taken out of the viewer: as a `.ng.json` file, and as a notebook cell that
 * recreates the viewer with `jupyterlab_neuroglancer.show(...)`.
 */
import { NeuroglancerState } from '../neuroglancerState';
import { prettyJson } from './stateJson';

/** The suffix of saved states (still plain JSON to every other tool). */
export const STATE_FILE_SUFFIX = '.ng.json';

/**
 * A file name for the state of the viewer called `viewerName`: `viewer_2` → `viewer_2.ng.json`.
 */
export function suggestedStateFileName(viewerName: string): string {
  const stem = viewerName
    .trim()
    .replace(/[^\p{L}\p{N}_.-]+/gu, '_')
    .replace(/^[._]+|[._]+$/g, '');
  return (stem || 'neuroglancer-state') + STATE_FILE_SUFFIX;
}

/**
 * The outcome of reading the file name the user typed.
 */
export type StateFileNameResult =
  { ok: true; name: string } | { ok: false; reason: 'empty' | 'folder' };

/**
 * The file name to save to: what the user typed, with `.ng.json` added unless it already ends
 * in `.json`. It must be a name, not a path: it is saved in the file browser's folder.
 */
export function stateFileName(input: string): StateFileNameResult {
  const name = input.trim();
  if (!name || name === STATE_FILE_SUFFIX) {
    return { ok: false, reason: 'empty' };
  }
  if (/[/\\]/.test(name) || name === '.' || name === '..') {
    return { ok: false, reason: 'folder' };
  }
  return {
    ok: true,
    name: /\.json$/i.test(name) ? name : name + STATE_FILE_SUFFIX
  };
}

/**
 * The text of a saved state file: pretty JSON and a final newline.
 */
export function stateFileContent(state: NeuroglancerState): string {
  return prettyJson(state) + '\n';
}

/**
 * Options of `stateAsPythonCode`.
 */
export interface IStateCodeOptions {
  /** The variable the new viewer is bound to (default `viewer`). */
  variable?: string;
  /** Comment lines to put first (without `# `): what the cell is, what will not load. */
  comments?: string[];
}

/**
 * A Python cell that recreates a viewer from `state`:
 *
 *     import json
 *
 *     import jupyterlab_neuroglancer as jln
 *
 *     viewer = jln.show(json.loads(r'''
 *     { ...pretty JSON... }
 *     '''))
 *
 * The JSON stays JSON (`true`, `null`) inside a raw string, which `json.loads` reads back
 * exactly; a `'` would be the only character able to end the string early, so when the text
 * holds `'''` every `'` becomes the JSON escape `\u0027`.
 */
export function stateAsPythonCode(
  state: NeuroglancerState,
  options: IStateCodeOptions = {}
): string {
  const variable = options.variable ?? 'viewer';
  let json = prettyJson(state);
  if (json.includes("'''")) {
    json = json.replace(/'/g, '\\u0027');
  }
  const comments = (options.comments ?? []).flatMap(comment =>
    comment.split('\n').map(line => `# ${line}`.trimEnd())
  );
  return [
    ...comments,
    'import json',
    '',
    'import jupyterlab_neuroglancer as jln',
    '',
    `${variable} = jln.show(json.loads(r'''`,
    json,
    "'''))"
  ].join('\n');
}
