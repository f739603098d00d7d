import { Signal } from '@lumino/signaling';

import { recreateExpression } from '../kernelSnippets';
import { isShortcutCandidate } from '../lifecycle/keyboardForwarding';
import {
  isUniform,
  opaqueBounds,
  screenshotFileName
} from '../lifecycle/screenshot';
import { layersFromPythonMemory } from '../lifecycle/stateSources';
import { ViewerMonitor } from '../lifecycle/viewerMonitor';
import { ViewerStatus } from '../lifecycle/viewerStatus';
import { IViewerRecord } from '../tokens';

describe('recreateExpression', () => {
  it('calls recreate_in_namespace with the state and the variable name', () => {
    expect(recreateExpression({ layout: 'xy' }, 'viewer')).toBe(
      '__import__("jupyterlab_neuroglancer.kernel.commands", fromlist=["_"])' +
        '.recreate_in_namespace(globals(), "{\\"layout\\":\\"xy\\"}", name="viewer")'
    );
  });
});

describe('layersFromPythonMemory', () => {
  it('names the layers whose data was served by a Python process', () => {
    const state = {
      layers: [
        { name: 'em', source: [{ url: 'python://volume/abc.def' }] },
        { name: 'seg', source: 'python://volume/abc.123' },
        { name: 'remote', source: 'precomputed://https://host/data' },
        { name: 'notes', source: { url: 'local://annotations' } }
      ]
    };
    expect(layersFromPythonMemory(state)).toEqual(['em', 'seg']);
  });

  it('copes with states without layers', () => {
    expect(layersFromPythonMemory(null)).toEqual([]);
    expect(layersFromPythonMemory({ layers: 'no' })).toEqual([]);
    expect(layersFromPythonMemory({ layers: [null, 3] })).toEqual([]);
  });
});

describe('screenshots', () => {
  it('names the file after the viewer and the time', () => {
    const date = new Date(2024, 4, 1, 14, 30, 5);
    expect(screenshotFileName('viewer_2', date)).toBe(
      'viewer_2-2024-05-01-143005.png'
    );
    expect(screenshotFileName('a/b: c?', date)).toBe(
      'a_b_c_-2024-05-01-143005.png'
    );
    expect(screenshotFileName('  ', date)).toBe(
      'neuroglancer-2024-05-01-143005.png'
    );
  });

  it('finds the drawn part of a picture', () => {
    // 3 × 2 pixels, only the middle of the bottom row drawn.
    const pixels = [
      ...[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      ...[0, 0, 0, 0, 9, 9, 9, 255, 0, 0, 0, 0]
    ];
    expect(opaqueBounds(pixels, 3, 2)).toEqual({
      x: 1,
      y: 1,
      width: 1,
      height: 1
    });
    expect(opaqueBounds([0, 0, 0, 0], 1, 1)).toBeNull();
  });

  it('tells a blank picture from one with something on it', () => {
    expect(isUniform([0, 0, 0, 0, 0, 0, 0, 0])).toBe(true);
    expect(isUniform([0, 0, 0, 255, 0, 0, 1, 255])).toBe(false);
  });
});

describe('isShortcutCandidate', () => {
  const key = (init: Partial<KeyboardEvent>) =>
    ({
      key: 'c',
      ctrlKey: false,
      metaKey: false,
      altKey: false,
      shiftKey: false,
      isComposing: false,
      defaultPrevented: false,
      ...init
    }) as KeyboardEvent;

  it("leaves Neuroglancer's plain keys alone", () => {
    expect(isShortcutCandidate(key({ key: 'l' }))).toBe(false);
    expect(isShortcutCandidate(key({ key: ' ', shiftKey: true }))).toBe(false);
  });

  it('forwards keys held with Ctrl, Cmd or Alt', () => {
    expect(
      isShortcutCandidate(key({ key: 'C', ctrlKey: true, shiftKey: true }))
    ).toBe(true);
    expect(isShortcutCandidate(key({ key: 'b', metaKey: true }))).toBe(true);
    expect(isShortcutCandidate(key({ key: 'w', altKey: true }))).toBe(true);
  });

  it('ignores modifiers alone, composition and handled keys', () => {
    expect(isShortcutCandidate(key({ key: 'Control', ctrlKey: true }))).toBe(
      false
    );
    expect(isShortcutCandidate(key({ ctrlKey: true, isComposing: true }))).toBe(
      false
    );
    expect(
      isShortcutCandidate(key({ ctrlKey: true, defaultPrevented: true }))
    ).toBe(false);
  });
});

describe('ViewerMonitor', () => {
  /** Just what the monitor reads of a panel. */
  class FakePanel {
    constructor(public record: IViewerRecord) {}
    isVisible = true;
    recordChanged = new Signal<this, IViewerRecord>(this);
    disposed = new Signal<this, void>(this);
  }

  const record = (id: string, kernelId?: string): IViewerRecord => ({
    id,
    name: 'viewer',
    token: 't',
    url: '',
    owner: kernelId
      ? { kind: 'kernel', kernel_id: kernelId }
      : { kind: 'server' }
  });

  const flush = () => new Promise(resolve => setTimeout(resolve, 0));

  let statuses: Record<string, ViewerStatus>;
  let monitor: ViewerMonitor;
  let asked: string[];

  beforeEach(() => {
    asked = [];
    statuses = {};
    monitor = new ViewerMonitor({
      interval: 1e9, // no polling: the tests call check()
      getStatus: async id => {
        asked.push(id);
        return statuses[id] ?? { alive: true, reason: null };
      }
    });
  });

  afterEach(() => monitor.dispose());

  it('reports a viewer that goes away, once, and then stops asking', async () => {
    const panel = new FakePanel(record('a', 'k1')) as any;
    const seen: ViewerStatus[] = [];
    monitor.statusChanged.connect((_, { status }) => seen.push(status));
    monitor.add(panel);
    await flush();
    expect(monitor.status(panel)).toEqual({ alive: true, reason: null });

    statuses.a = { alive: false, reason: 'server-stopped' };
    await monitor.check(panel);
    await monitor.check(panel);
    expect(seen).toEqual([
      { alive: true, reason: null },
      { alive: false, reason: 'server-stopped' }
    ]);
    expect(asked).toEqual(['a', 'a']);
  });

  it("ends a kernel's viewers at once when the kernel restarts", async () => {
    const inKernel = new FakePanel(record('a', 'k1')) as any;
    const elsewhere = new FakePanel(record('b', 'k2')) as any;
    const hosted = new FakePanel(record('c')) as any;
    [inKernel, elsewhere, hosted].forEach(panel => monitor.add(panel));
    await flush();

    monitor.onKernelEvent({ kernelId: 'k1', kind: 'restarting' });
    expect(monitor.status(inKernel)).toEqual({
      alive: false,
      reason: 'kernel-restarted'
    });
    expect(monitor.status(elsewhere)?.alive).toBe(true);
    expect(monitor.status(hosted)?.alive).toBe(true);

    monitor.onKernelEvent({ kernelId: 'k2', kind: 'dead' });
    expect(monitor.status(elsewhere)).toEqual({
      alive: false,
      reason: 'kernel-stopped'
    });
  });

  it('watches the new viewer when the panel switches to it', async () => {
    const panel = new FakePanel(record('a', 'k1')) as any;
    monitor.add(panel);
    await flush();
    monitor.onKernelEvent({ kernelId: 'k1', kind: 'restarting' });
    expect(monitor.status(panel)?.alive).toBe(false);

    panel.record = record('b', 'k1');
    panel.recordChanged.emit(panel.record);
    expect(monitor.status(panel)).toBeNull();
    await flush();
    expect(monitor.status(panel)).toEqual({ alive: true, reason: null });
    expect(asked).toEqual(['a', 'b']);
  });

  it('ignores an answer about the viewer the panel showed before', async () => {
    const answers: ((status: ViewerStatus) => void)[] = [];
    monitor.dispose();
    monitor = new ViewerMonitor({
      interval: 1e9,
      getStatus: () => new Promise(resolve => answers.push(resolve))
    });
    const panel = new FakePanel(record('a', 'k1')) as any;
    monitor.add(panel);
    panel.record = record('b', 'k1');
    panel.recordChanged.emit(panel.record);
    expect(answers).toHaveLength(2);
    answers[0]({ alive: false, reason: 'kernel-restarted' }); // about 'a'
    await flush();
    expect(monitor.status(panel)).toBeNull();
    answers[1]({ alive: true, reason: null });
    await flush();
    expect(monitor.status(panel)).toEqual({ alive: true, reason: null });
  });
});
