/**
 * Parsing of what people paste as a Neuroglancer viewer: a URL, its fragment, or a JSON state.
 *
 * Accepted: `https://<any host>/...#!{json}`, the same percent-encoded, `#!{json}` alone, and a
 * bare JSON object. The kernel side (`jupyterlab_neuroglancer/state.py`) accepts the same forms.
 */

/**
 * A Neuroglancer viewer state: a JSON object.
 */
export type NeuroglancerState = { [key: string]: unknown };

/**
 * Input that is not a Neuroglancer state; the message is a sentence for the user.
 */
export class StateParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StateParseError';
  }
}

const FRAGMENT_MARKER = '#!';
const REMOTE_STATE = /^(https?|gs|s3):\/\//;

/**
 * Parse a pasted Neuroglancer URL or JSON state into a state object.
 *
 * @throws StateParseError with a sentence saying what is wrong and what to paste instead.
 */
export function parseNeuroglancerInput(input: string): NeuroglancerState {
  const text = input.trim();
  if (!text) {
    throw new StateParseError(
      'Nothing was entered. Paste a Neuroglancer URL (https://…/#!{…}) or a JSON state.'
    );
  }
  if (text.startsWith('{')) {
    return parseStateJson(text);
  }
  const marker = text.indexOf(FRAGMENT_MARKER);
  if (marker < 0) {
    throw new StateParseError(
      'This is not a Neuroglancer URL: it has no "#!" followed by a state. ' +
        'Copy the whole address from a Neuroglancer tab, as in https://host/#!{…}, or paste a JSON state.'
    );
  }
  const fragment = text.slice(marker + FRAGMENT_MARKER.length).trim();
  if (!fragment) {
    throw new StateParseError(
      'The URL ends at "#!" and holds no state. Copy the whole address from a Neuroglancer tab.'
    );
  }
  if (REMOTE_STATE.test(fragment)) {
    throw new StateParseError(
      `This URL points at a state stored elsewhere (${fragment}), which is not fetched. ` +
        'Open that state in Neuroglancer and copy the full URL, or paste its JSON.'
    );
  }
  return parseStateJson(fragment, true);
}

/**
 * Parse JSON text that must be an object; percent-decode first when the raw text is not JSON.
 */
function parseStateJson(text: string, mayBeEncoded = false): NeuroglancerState {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (rawError) {
    const decoded = mayBeEncoded ? percentDecode(text) : null;
    if (decoded === null || decoded === text) {
      throw invalidJson(rawError);
    }
    try {
      parsed = JSON.parse(decoded);
    } catch (decodedError) {
      throw invalidJson(decodedError);
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new StateParseError(
      'The state must be a JSON object such as {"layers": [...]}, not ' +
        `${Array.isArray(parsed) ? 'an array' : JSON.stringify(parsed)}.`
    );
  }
  return parsed as NeuroglancerState;
}

function percentDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

function invalidJson(error: unknown): StateParseError {
  const detail = error instanceof Error ? error.message : String(error);
  return new StateParseError(
    `The state is not valid JSON (${detail}). Check that the whole URL or state was copied.`
  );
}
