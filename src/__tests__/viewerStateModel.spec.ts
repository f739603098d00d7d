import {
  IManagedLayer,
  INeuroglancerViewer,
  IViewerSource,
  ViewerStateModel
} from '../models/viewerStateModel';

const KNOWN_TYPES = [
  'image',
  'segmentation',
  'annotation',
  'mesh',
  'auto',
  'new'
];

/**
 * A stand-in for Neuroglancer's viewer, with its habits: `restoreState` keeps the keys it is
 * not given, throws part-way on a bad value (a position that is not an array, a layer without a
 * name), makes a "new" layer for an unknown type, and leaves out a layer it cannot create (here:
 * one named "broken").
 */
class FakeViewer implements INeuroglancerViewer {
  json: Record<string, any> = { layout: 'xy', layers: [] };
  layers: IManagedLayer[] = [];
  handlers = new Set<() => void>();
  /** Milliseconds of `clock` each `toJSON` takes. */
  readCost = 0;

  constructor(
    initial: Record<string, any> = {},
    private clock = { now: 0 }
  ) {
    this.state.restoreState(initial);
  }

  state = {
    toJSON: () => {
      this.clock.now += this.readCost;
      return {
        ...this.json,
        layers: this.layers.map(layer => {
          const spec = this.specs.get(layer.name);
          return layer.visible ? spec : { ...spec, visible: false };
        })
      };
    },
    restoreState: (x: any) => {
      for (const [key, value] of Object.entries(x)) {
        if (key === 'position' && !Array.isArray(value)) {
          throw new Error(
            `Error restoring property "position": Expected array, but received: ${JSON.stringify(value)}.`
          );
        }
        if (key === 'layers') {
          this.specs.clear();
          this.layers = [];
          for (const spec of value as any[]) {
            if (typeof spec.name !== 'string') {
              throw new Error(
                'Error restoring property "layers": Expected string, but received: undefined.'
              );
            }
            if (spec.name === 'broken') {
              continue;
            }
            this.addLayer(spec);
          }
        } else {
          this.json[key] = value;
        }
      }
      this.dispatch();
    },
    reset: () => {
      this.json = { layout: 'xy' };
      this.layers = [];
      this.specs.clear();
    },
    changed: {
      add: (callback: () => void) => {
        this.handlers.add(callback);
        return () => this.handlers.delete(callback);
      }
    }
  };

  get layerManager() {
    return { managedLayers: this.layers };
  }

  dispatch(): void {
    this.handlers.forEach(handler => handler());
  }

  private addLayer(spec: any): void {
    const dispatch = () => this.dispatch();
    const type = KNOWN_TYPES.includes(spec.type ?? 'auto')
      ? (spec.type ?? 'auto')
      : 'new';
    this.specs.set(spec.name, { ...spec, visible: undefined });
    this.layers.push({
      name: spec.name,
      visible: spec.visible !== false,
      layer: { type },
      setVisible(visible: boolean) {
        this.visible = visible;
        dispatch();
      }
    });
  }

  private specs = new Map<string, any>();
}

class FakeSource implements IViewerSource {
  viewer: FakeViewer | null = null;
  reloads = new Set<() => void>();
  getViewer() {
    return this.viewer;
  }
  onReload(callback: () => void) {
    this.reloads.add(callback);
    return () => {
      this.reloads.delete(callback);
    };
  }
  reload(viewer: FakeViewer | null) {
    this.viewer = viewer;
    this.reloads.forEach(callback => callback());
  }
}

const DEMO = {
  layout: '4panel',
  position: [80, 80, 80],
  layers: [
    { type: 'image', name: 'em', source: 'python://volume/a' },
    {
      type: 'segmentation',
      name: 'cells',
      source: 'python://volume/b',
      segments: ['1']
    }
  ]
};

describe('ViewerStateModel', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function setup(initial: Record<string, any> = DEMO) {
    const clock = { now: 1000 };
    const source = new FakeSource();
    source.viewer = new FakeViewer(initial, clock);
    const model = new ViewerStateModel(source, {
      pollInterval: 100,
      now: () => clock.now
    });
    const emitted: any[] = [];
    model.stateChanged.connect((_, state) => emitted.push(state));
    /** Let `ms` pass, on the model's clock and for its timers. */
    const advance = (ms: number) => {
      clock.now += ms;
      jest.advanceTimersByTime(ms);
    };
    return { source, viewer: source.viewer, model, emitted, advance };
  }

  /** The end of the current task: the model reads the state in a microtask. */
  const endOfTask = () => Promise.resolve();

  it('waits for the page to make its viewer, then reads the state', () => {
    const source = new FakeSource();
    const model = new ViewerStateModel(source, { pollInterval: 100 });
    expect(model.state).toBeNull();
    jest.advanceTimersByTime(250);
    expect(model.state).toBeNull();
    source.viewer = new FakeViewer(DEMO);
    jest.advanceTimersByTime(100);
    expect(model.state?.layout).toBe('4panel');
    expect(model.generation).toBe(1);
    model.dispose();
  });

  it('reads a small state at the end of the task that changed it, once per task', async () => {
    const { viewer, model, emitted } = setup();
    for (let i = 0; i < 20; i++) {
      viewer.json.position = [i, 0, 0];
      viewer.dispatch();
    }
    expect(emitted).toHaveLength(0);
    await endOfTask();
    expect(emitted.map(state => state.position)).toEqual([[19, 0, 0]]);
    viewer.json.layout = 'yz';
    viewer.dispatch();
    await endOfTask();
    expect(emitted.map(state => state.layout)).toEqual(['4panel', 'yz']);
    model.dispose();
  });

  it('skips signals that change nothing in the state', async () => {
    const { viewer, model, emitted } = setup();
    for (let i = 0; i < 5; i++) {
      viewer.dispatch();
      await endOfTask();
    }
    expect(emitted).toHaveLength(0);
    model.dispose();
  });

  it('reads a costly state less often, and still shows the last change', async () => {
    const { viewer, model, emitted, advance } = setup();
    viewer.readCost = 5;
    viewer.json.layout = 'yz';
    viewer.dispatch();
    await endOfTask();
    expect(emitted.map(state => state.layout)).toEqual(['yz']);
    // That read took 5 ms: the next waits 50 ms, on a timer when nothing else comes.
    viewer.json.layout = 'xz';
    viewer.dispatch();
    await endOfTask();
    advance(49);
    expect(emitted).toHaveLength(1);
    advance(1);
    expect(emitted.map(state => state.layout)).toEqual(['yz', 'xz']);
    // A signal after the pause reads at once, without the timer.
    advance(100);
    viewer.json.layout = '3d';
    viewer.dispatch();
    await endOfTask();
    expect(emitted.map(state => state.layout)).toEqual(['yz', 'xz', '3d']);
    model.dispose();
  });

  it('gives copies, never the viewer’s own objects', () => {
    const { viewer, model } = setup();
    model.state!.layout = 'changed here';
    expect(viewer.json.layout).toBe('4panel');
    model.dispose();
  });

  it('toggles a layer’s visibility in the viewer', async () => {
    const { viewer, model } = setup();
    expect(model.setLayerVisible('em', false)).toBe(true);
    expect(viewer.layers[0].visible).toBe(false);
    await endOfTask();
    expect((model.state!.layers as any[])[0].visible).toBe(false);
    expect(model.setLayerVisible('nope', false)).toBe(false);
    model.dispose();
  });

  it('changes some keys and keeps the others', () => {
    const { viewer, model } = setup();
    expect(model.update({ layout: 'xz' })).toEqual({ ok: true });
    expect(viewer.json.layout).toBe('xz');
    expect(model.state!.layout).toBe('xz');
    expect(model.state!.position).toEqual([80, 80, 80]);
    const refused = model.update({ layout: '3d', position: 'middle' });
    expect(refused).toMatchObject({ ok: false, reason: 'rejected' });
    expect(viewer.json.layout).toBe('xz');
    expect(viewer.json.position).toEqual([80, 80, 80]);
    expect(
      refused.ok === false && refused.reason === 'rejected' && refused.detail
    ).toContain('position');
    model.dispose();
  });

  it('applies a whole state exactly: keys left out go back to their defaults', () => {
    const { viewer, model } = setup();
    const next = {
      layout: '3d',
      layers: [{ type: 'annotation', name: 'points' }]
    };
    expect(model.applyState(next)).toEqual({ ok: true });
    expect(viewer.json.position).toBeUndefined();
    expect(model.state).toEqual({
      layout: '3d',
      layers: [{ type: 'annotation', name: 'points' }]
    });
    model.dispose();
  });

  it('changes nothing when Neuroglancer refuses the state', () => {
    const { viewer, model } = setup();
    const before = JSON.parse(JSON.stringify(viewer.state.toJSON()));
    const cases: [Record<string, any>, object][] = [
      [
        {
          layout: 'xy',
          layers: [{ type: 'image', name: 'ok' }, { type: 'image' }]
        },
        { reason: 'rejected' }
      ],
      [
        { layout: 'xy', layers: [{ type: 'imagee', name: 'x' }] },
        { reason: 'unknown-layer-type', layer: 'x', type: 'imagee' }
      ],
      [
        { layout: 'xy', layers: [{ type: 'image', name: 'broken' }] },
        { reason: 'layer-not-created', layer: 'broken' }
      ]
    ];
    for (const [state, problem] of cases) {
      const result = model.applyState(state);
      expect(result).toMatchObject({ ok: false, ...problem });
      expect(JSON.parse(JSON.stringify(viewer.state.toJSON()))).toEqual(before);
    }
    expect(model.state!.layout).toBe('4panel');
    const rejected = model.applyState({ position: 'middle' });
    expect(
      !rejected.ok && rejected.reason === 'rejected' && rejected.detail
    ).toContain('Expected array');
    model.dispose();
  });

  it('follows the new viewer after the page reloads', () => {
    const { source, model, emitted } = setup();
    const old = source.viewer!;
    source.reload(null);
    source.viewer = new FakeViewer({ layout: 'yz', layers: [] });
    jest.advanceTimersByTime(100);
    expect(model.state!.layout).toBe('yz');
    expect(old.handlers.size).toBe(0);
    expect(source.viewer.handlers.size).toBe(1);
    expect(emitted.map(state => state.layout)).toEqual(['yz']);
    model.dispose();
  });

  it('lets go of the viewer when disposed', () => {
    const { source, viewer, model, emitted } = setup();
    model.dispose();
    viewer.dispatch();
    jest.advanceTimersByTime(1000);
    expect(emitted).toHaveLength(0);
    expect(viewer.handlers.size).toBe(0);
    expect(source.reloads.size).toBe(0);
    expect(model.update({ layout: 'xy' })).toEqual({
      ok: false,
      reason: 'no-viewer'
    });
  });
});
