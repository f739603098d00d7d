import { parseStateText, prettyJson, textEdit } from '../models/stateJson';

describe('pretty JSON', () => {
  it('keeps short arrays of plain values on one line', () => {
    const state = {
      dimensions: { x: [8e-9, 'm'] },
      position: [80, 80.5, 80],
      layers: [{ name: 'em', segments: [] }],
      empty: {},
      flag: true,
      nothing: null
    };
    expect(prettyJson(state)).toBe(
      [
        '{',
        '  "dimensions": {',
        '    "x": [8e-9, "m"]',
        '  },',
        '  "position": [80, 80.5, 80],',
        '  "layers": [',
        '    {',
        '      "name": "em",',
        '      "segments": []',
        '    }',
        '  ],',
        '  "empty": {},',
        '  "flag": true,',
        '  "nothing": null',
        '}'
      ].join('\n')
    );
  });

  it('breaks long arrays and reads back as JSON.stringify would', () => {
    const state = {
      segments: Array.from({ length: 40 }, (_, i) => String(1000 + i)),
      skipped: undefined,
      nested: [[1, 2], { a: [undefined] }],
      text: 'quote " and \\ and \n'
    };
    const text = prettyJson(state);
    expect(text.split('\n').length).toBeGreaterThan(40);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(state)));
  });
});

describe('reading the editor', () => {
  it('accepts a JSON object', () => {
    expect(parseStateText(' {"layout": "xy"} ')).toEqual({
      ok: true,
      state: { layout: 'xy' }
    });
  });

  it('says what is wrong otherwise', () => {
    expect(parseStateText('  ')).toEqual({ ok: false, reason: 'empty' });
    const syntax = parseStateText('{"layout": "xy",}');
    expect(syntax.ok).toBe(false);
    expect(!syntax.ok && syntax.reason).toBe('syntax');
    expect(parseStateText('[1]')).toEqual({
      ok: false,
      reason: 'not-object',
      found: 'an array'
    });
    expect(parseStateText('"xy"')).toEqual({
      ok: false,
      reason: 'not-object',
      found: '"xy"'
    });
  });
});

describe('text edits', () => {
  const apply = (before: string, after: string) => {
    const edit = textEdit(before, after);
    return edit
      ? before.slice(0, edit.start) + edit.insert + before.slice(edit.end)
      : before;
  };

  it('replaces only what differs', () => {
    expect(textEdit('same', 'same')).toBeNull();
    expect(textEdit('"position": [1, 2, 3]', '"position": [1, 5, 3]')).toEqual({
      start: 16,
      end: 17,
      insert: '5'
    });
    expect(textEdit('aaa', 'aaaa')).toEqual({ start: 3, end: 3, insert: 'a' });
    expect(textEdit('abc', '')).toEqual({ start: 0, end: 3, insert: '' });
  });

  it('always turns one text into the other, surrogate pairs kept whole', () => {
    const pairs = [
      ['', 'x'],
      ['ab', 'ba'],
      ['x😀y', 'x😁y'],
      ['😀', '😀😀'],
      ['abcabc', 'abc'],
      ['{"a": 1}', '{"a": 12}']
    ];
    for (const [before, after] of pairs) {
      expect(apply(before, after)).toBe(after);
      const edit = textEdit(before, after);
      if (edit) {
        expect(edit.insert).toBe(edit.insert.normalize());
        expect(/^[\udc00-\udfff]/.test(edit.insert)).toBe(false);
      }
    }
  });
});
