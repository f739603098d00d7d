/**
 * A Neuroglancer state file open as a document: whether its text is a state, and the rules that
 * keep the document's text and the viewer's state in step without echoing each other
 * (pure logic, no DOM; `widgets/stateDocument.ts` wires it to the document and the viewer).
 */
import { stateFileContent } from './models/stateExport';
import { parseStateText, StateTextProblem } from './models/stateJson';
import { NeuroglancerState } from './neuroglancerState';

/**
 * The top-level keys of Neuroglancer states (current and older ones). A JSON object with none of
 * them (a `package.json`, a list of settings) is not taken for a state.
 */
const STATE_KEYS = new Set([
  'dimensions',
  'position',
  'relativeDisplayScales',
  'displayDimensions',
  'crossSectionOrientation',
  'crossSectionScale',
  'crossSectionDepth',
  'projectionOrientation',
  'projectionScale',
  'projectionDepth',
  'layers',
  'layout',
  'selectedLayer',
  'layerListPanel',
  'selection',
  'showSlices',
  'showAxisLines',
  'showScaleBar',
  'showDefaultAnnotations',
  'hideCrossSectionBackground3D',
  'crossSectionBackgroundColor',
  'projectionBackgroundColor',
  'title',
  'statistics',
  'helpPanel',
  'settingsPanel',
  'toolBindings',
  'toolPalettes',
  'partialViewport',
  'gpuMemoryLimit',
  'systemMemoryLimit',
  'concurrentDownloads',
  'prefetch',
  // Older states.
  'navigation',
  'perspectiveOrientation',
  'perspectiveZoom',
  'voxelSize'
]);

/**
 * Why a document's text is not a Neuroglancer state.
 */
export type StateDocumentProblem =
  StateTextProblem | { reason: 'not-a-state'; keys: string[] };

/**
 * The outcome of reading a state document's text.
 */
export type StateDocumentText =
  | { ok: true; state: NeuroglancerState }
  | ({ ok: false } & StateDocumentProblem);

/**
 * Read the text of a state file: JSON, an object, and either empty (`{}`, a new empty viewer)
 * or holding at least one key that Neuroglancer states have.
 */
export function readStateDocument(text: string): StateDocumentText {
  const result = parseStateText(text);
  if (!result.ok) {
    return result;
  }
  const keys = Object.keys(result.state);
  if (keys.length > 0 && !keys.some(key => STATE_KEYS.has(key))) {
    return { ok: false, reason: 'not-a-state', keys };
  }
  return result;
}

/**
 * What to do with the document's new text.
 */
export type DocumentTextAction =
  /** Nothing: the text is what the viewer already shows (our own write, or no change). */
  | { kind: 'none' }
  /** Show this state in the viewer (a revert, a change from another view of the file). */
  | { kind: 'apply'; state: NeuroglancerState }
  /** The text is not a state: say why, keep the viewer as it is. */
  | { kind: 'invalid'; problem: StateDocumentProblem };

/**
 * The two-way sync between a state document's text and its viewer.
 *
 * - The viewer changes → the document gets the new state as text (which marks it dirty), once
 *   the user has acted in the viewer (pointer, wheel, key). Before that, changes are the page
 *   loading its state and Neuroglancer filling in defaults (a position once the data's bounds
 *   are known): they are not edits, and opening a file then closing it must not ask to save.
 * - The document's text changes (revert, or the file edited in another view) → the viewer
 *   shows it; the viewer's change that follows is not written back.
 * - A text equal to the document's current text is never written: no spurious dirty flag.
 * - While the document's text is not a state (being fixed in the editor), the viewer never
 *   overwrites it.
 */
export class StateDocumentSync {
  /**
   * @param write - put the text into the document (`context.model.fromString`).
   */
  constructor(private _write: (text: string) => void) {}

  /** The document's text as last seen or written (`null` before the document loaded). */
  get documentText(): string | null {
    return this._documentText;
  }

  /** Whether the user has acted in the viewer since it (re)loaded or a state was applied. */
  get userActed(): boolean {
    return this._userActed;
  }

  /**
   * The document's text changed (on load, revert, or an edit elsewhere): what the viewer does.
   */
  documentChanged(text: string): DocumentTextAction {
    if (text === this._documentText) {
      return { kind: 'none' };
    }
    this._documentText = text;
    const read = readStateDocument(text);
    this._documentValid = read.ok;
    if (!read.ok) {
      const { ok, ...problem } = read;
      void ok;
      return { kind: 'invalid', problem };
    }
    // What follows in the viewer is this state arriving, not an edit.
    this._userActed = false;
    return { kind: 'apply', state: read.state };
  }

  /**
   * The viewer's state changed. Writes it to the document when the user has acted.
   * Returns whether it wrote.
   */
  viewerChanged(state: NeuroglancerState): boolean {
    // An invalid text is being fixed elsewhere (the editor): never overwrite it.
    if (!this._userActed || !this._documentValid) {
      return false;
    }
    const text = stateFileContent(state);
    if (text === this._documentText) {
      return false;
    }
    this._documentText = text;
    this._write(text);
    return true;
  }

  /** The user pointed, scrolled or typed in the viewer: its next changes are edits. */
  userInput(): void {
    this._userActed = true;
  }

  /** Forget the document's text: the next `documentChanged` acts even on the same text. */
  forget(): void {
    this._documentText = null;
  }

  /** The viewer page (re)loaded: it is loading its state again, which is no edit. */
  viewerReloaded(): void {
    this._userActed = false;
  }

  private _documentText: string | null = null;
  private _documentValid = false;
  private _userActed = false;
}
