/**
 * The state as text: pretty JSON for people (the sidebar's editor, saved files, inserted code),
 * parsing of what they type, and the smallest edit that turns one text into another.
 */
import { NeuroglancerState } from '../neuroglancerState';

/** Arrays of plain values up to this long (once printed) stay on one line. */
const INLINE_ARRAY_WIDTH = 72;

/**
 * Pretty JSON with two-space indents, where short arrays of numbers, strings, booleans or nulls
 * stay on one line (`"position": [80, 80, 80]`), so that a state reads like Neuroglancer's own.
 * `JSON.parse(prettyJson(x))` equals `JSON.parse(JSON.stringify(x))`.
 */
export function prettyJson(value: unknown, indent = '  '): string {
  return format(value, '', indent) ?? 'null';
}

function format(
  value: unknown,
  margin: string,
  indent: string
): string | undefined {
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(value);
  }
  const toJSON = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof toJSON === 'function') {
    return format(toJSON.call(value), margin, indent);
  }
  const inner = margin + indent;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      return '[]';
    }
    const items = value.map(item => format(item, inner, indent) ?? 'null');
    if (value.every(item => item === null || typeof item !== 'object')) {
      const oneLine = `[${items.join(', ')}]`;
      if (oneLine.length <= INLINE_ARRAY_WIDTH) {
        return oneLine;
      }
    }
    return `[\n${items.map(item => inner + item).join(',\n')}\n${margin}]`;
  }
  const entries: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    const text = format(item, inner, indent);
    if (text !== undefined) {
      entries.push(`${inner}${JSON.stringify(key)}: ${text}`);
    }
  }
  return entries.length === 0 ? '{}' : `{\n${entries.join(',\n')}\n${margin}}`;
}

/**
 * Why the text of the state editor is not a state.
 */
export type StateTextProblem =
  | { reason: 'empty' }
  | { reason: 'syntax'; detail: string }
  | { reason: 'not-object'; found: 'an array' | string };

/**
 * The outcome of reading a state typed by the user.
 */
export type StateTextResult =
  { ok: true; state: NeuroglancerState } | ({ ok: false } & StateTextProblem);

/**
 * Read the text of the state editor: it must be JSON, and a JSON object.
 */
export function parseStateText(text: string): StateTextResult {
  if (!text.trim()) {
    return { ok: false, reason: 'empty' };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: 'syntax', detail };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return {
      ok: false,
      reason: 'not-object',
      found: Array.isArray(value) ? 'an array' : JSON.stringify(value)
    };
  }
  return { ok: true, state: value as NeuroglancerState };
}

/**
 * The smallest single replacement turning `before` into `after`: replace `before`'s characters
 * `[start, end)` by `insert`. Applying it instead of the whole text keeps an editor's scroll
 * position and selection when a few values change.
 */
export interface ITextEdit {
  start: number;
  end: number;
  insert: string;
}

/**
 * The edit from `before` to `after` (the common prefix and suffix are kept), or `null` when they
 * are equal.
 */
export function textEdit(before: string, after: string): ITextEdit | null {
  if (before === after) {
    return null;
  }
  const limit = Math.min(before.length, after.length);
  let start = 0;
  while (
    start < limit &&
    before.charCodeAt(start) === after.charCodeAt(start)
  ) {
    start++;
  }
  let suffix = 0;
  while (
    suffix < limit - start &&
    before.charCodeAt(before.length - 1 - suffix) ===
      after.charCodeAt(after.length - 1 - suffix)
  ) {
    suffix++;
  }
  // Never cut a surrogate pair in two.
  if (start > 0 && isLowSurrogate(after.charCodeAt(start))) {
    start--;
  }
  if (suffix > 0 && isLowSurrogate(before.charCodeAt(before.length - suffix))) {
    suffix--;
  }
  return {
    start,
    end: before.length - suffix,
    insert: after.slice(start, after.length - suffix)
  };
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
