/// <reference types="node" />
import { execFileSync } from 'child_process';

import {
  stateAsPythonCode,
  stateFileContent,
  stateFileName,
  suggestedStateFileName
} from '../models/stateExport';

/** Run a generated cell in Python with `jupyterlab_neuroglancer.show` stubbed to return its argument. */
function runInPython(code: string): unknown {
  const program = [
    'import json, sys, types',
    'stub = types.ModuleType("jupyterlab_neuroglancer")',
    'stub.show = lambda state: state',
    'sys.modules["jupyterlab_neuroglancer"] = stub',
    'namespace = {}',
    'exec(sys.stdin.read(), namespace)',
    'print(json.dumps(namespace["viewer"]))'
  ].join('\n');
  const python = process.env.PYTHON ?? 'python3';
  return JSON.parse(
    execFileSync(python, ['-c', program], { input: code, encoding: 'utf8' })
  );
}

const TRICKY = {
  title: "it's ''' a \"trap\" \\ with \n newline and µm",
  layers: [
    { name: "ends with '", visible: false, source: null },
    { name: 'backslash at end \\', segments: ['1', '!2'] }
  ],
  position: [1.5, 2, 3e-9],
  flag: true
};

describe('state as Python code', () => {
  it('recreates the viewer with jupyterlab_neuroglancer.show from pretty JSON', () => {
    const code = stateAsPythonCode(
      { layout: 'xy', layers: [] },
      { comments: ['Recreates "v".', 'Two\nlines'] }
    );
    expect(code).toBe(
      [
        '# Recreates "v".',
        '# Two',
        '# lines',
        'import json',
        '',
        'import jupyterlab_neuroglancer as jln',
        '',
        "viewer = jln.show(json.loads(r'''",
        '{',
        '  "layout": "xy",',
        '  "layers": []',
        '}',
        "'''))"
      ].join('\n')
    );
  });

  it('gives the same state back in Python, quotes and backslashes included', () => {
    expect(runInPython(stateAsPythonCode(TRICKY))).toEqual(TRICKY);
    const plain = {
      name: "no triple quote: it's fine",
      x: [true, false, null]
    };
    const code = stateAsPythonCode(plain);
    expect(code).toContain("it's fine");
    expect(runInPython(code)).toEqual(plain);
  });

  it('uses the variable asked for', () => {
    expect(stateAsPythonCode({}, { variable: 'copy' })).toContain(
      'copy = jln.show('
    );
  });
});

describe('state files', () => {
  it('suggests a name from the viewer name', () => {
    expect(suggestedStateFileName('viewer_2')).toBe('viewer_2.ng.json');
    expect(suggestedStateFileName('viewer_2 · analysis.ipynb')).toBe(
      'viewer_2_analysis.ipynb.ng.json'
    );
    expect(suggestedStateFileName(' / ')).toBe('neuroglancer-state.ng.json');
  });

  it('adds the suffix unless the name is already JSON, and refuses paths', () => {
    expect(stateFileName('mine')).toEqual({ ok: true, name: 'mine.ng.json' });
    expect(stateFileName('mine.ng.json')).toEqual({
      ok: true,
      name: 'mine.ng.json'
    });
    expect(stateFileName('mine.JSON')).toEqual({ ok: true, name: 'mine.JSON' });
    expect(stateFileName('  ')).toEqual({ ok: false, reason: 'empty' });
    expect(stateFileName('a/b')).toEqual({ ok: false, reason: 'folder' });
    expect(stateFileName('..')).toEqual({ ok: false, reason: 'folder' });
  });

  it('writes pretty JSON with a final newline', () => {
    const text = stateFileContent(TRICKY);
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toEqual(TRICKY);
  });
});
