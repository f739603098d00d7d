import { stateFileContent } from '../models/stateExport';
import { readStateDocument, StateDocumentSync } from '../stateDocumentSync';

const STATE = {
  dimensions: { x: [8e-9, 'm'], y: [8e-9, 'm'], z: [8e-9, 'm'] },
  position: [10, 20, 30],
  layers: []
};
const TEXT = JSON.stringify(STATE, null, 2);

describe('readStateDocument', () => {
  it('reads a state, and the empty state', () => {
    expect(readStateDocument(TEXT)).toEqual({ ok: true, state: STATE });
    expect(readStateDocument('{}')).toEqual({ ok: true, state: {} });
    // Older states (navigation, perspectiveZoom) are states too.
    expect(readStateDocument('{"navigation": {}}').ok).toBe(true);
  });

  it('says why a text is not a state', () => {
    expect(readStateDocument('  \n')).toEqual({ ok: false, reason: 'empty' });
    expect(readStateDocument('{"layers": [')).toMatchObject({
      ok: false,
      reason: 'syntax'
    });
    expect(readStateDocument('[1, 2]')).toEqual({
      ok: false,
      reason: 'not-object',
      found: 'an array'
    });
    expect(readStateDocument('{"name": "pkg", "version": "1.0"}')).toEqual({
      ok: false,
      reason: 'not-a-state',
      keys: ['name', 'version']
    });
  });
});

describe('StateDocumentSync', () => {
  function setup() {
    const writes: string[] = [];
    const sync = new StateDocumentSync(text => writes.push(text));
    return { sync, writes };
  }

  it('applies the file on load, and an empty file is a problem, not nothing', () => {
    const { sync } = setup();
    expect(sync.documentChanged(TEXT)).toEqual({ kind: 'apply', state: STATE });
    const empty = setup().sync;
    expect(empty.documentChanged('')).toEqual({
      kind: 'invalid',
      problem: { reason: 'empty' }
    });
  });

  it('does not write what the viewer does before the user acts (loading, defaults)', () => {
    const { sync, writes } = setup();
    sync.documentChanged(TEXT);
    expect(sync.viewerChanged({})).toBe(false);
    expect(sync.viewerChanged({ ...STATE, crossSectionScale: 1 })).toBe(false);
    expect(writes).toEqual([]);
  });

  it('writes the viewer state once the user acted, and ignores its own echo', () => {
    const { sync, writes } = setup();
    sync.documentChanged(TEXT);
    sync.userInput();
    const moved = { ...STATE, position: [11, 20, 30] };
    expect(sync.viewerChanged(moved)).toBe(true);
    expect(writes).toEqual([stateFileContent(moved)]);
    // The document reports the text just written: nothing to apply.
    expect(sync.documentChanged(writes[0])).toEqual({ kind: 'none' });
    // The same state again writes nothing (no spurious dirty flag).
    expect(sync.viewerChanged(moved)).toBe(false);
    expect(writes).toHaveLength(1);
  });

  it('applies a revert, and the viewer following it is not an edit', () => {
    const { sync, writes } = setup();
    sync.documentChanged(TEXT);
    sync.userInput();
    sync.viewerChanged({ ...STATE, position: [1, 2, 3] });
    expect(sync.documentChanged(TEXT)).toEqual({ kind: 'apply', state: STATE });
    expect(sync.userActed).toBe(false);
    expect(sync.viewerChanged(STATE)).toBe(false);
    expect(writes).toHaveLength(1);
  });

  it('never overwrites a text that is being fixed', () => {
    const { sync, writes } = setup();
    sync.documentChanged(TEXT);
    expect(sync.documentChanged('{"layers": [')).toMatchObject({
      kind: 'invalid',
      problem: { reason: 'syntax' }
    });
    sync.userInput();
    expect(sync.viewerChanged({ ...STATE, position: [5, 5, 5] })).toBe(false);
    expect(writes).toEqual([]);
  });

  it('starts over after the viewer page reloads', () => {
    const { sync, writes } = setup();
    sync.documentChanged(TEXT);
    sync.userInput();
    sync.viewerReloaded();
    expect(sync.viewerChanged({})).toBe(false);
    expect(writes).toEqual([]);
  });

  it('acts on the same text again after forget()', () => {
    const { sync } = setup();
    sync.documentChanged(TEXT);
    sync.forget();
    expect(sync.documentChanged(TEXT).kind).toBe('apply');
  });
});
