import { layerRows, layerSpecs, sourceUrls } from '../models/layerRows';

/** The offline demo's state, as Neuroglancer serialises it. */
const DEMO = {
  dimensions: { x: [8e-9, 'm'], y: [8e-9, 'm'], z: [8e-9, 'm'] },
  position: [80, 80, 80],
  layout: '4panel',
  layers: [
    {
      type: 'image',
      source: [{ url: 'python://volume/abc.em' }],
      name: 'em'
    },
    {
      type: 'segmentation',
      source: [{ url: 'python://volume/abc.cells' }],
      segments: ['3', '13', '!14'],
      name: 'segmentation',
      visible: false
    }
  ]
};

describe('layer rows', () => {
  it('lists every layer with its name, type, sources and visibility', () => {
    expect(layerRows(DEMO)).toEqual([
      {
        name: 'em',
        type: 'image',
        sources: ['python://volume/abc.em'],
        visible: true,
        archived: false
      },
      {
        name: 'segmentation',
        type: 'segmentation',
        sources: ['python://volume/abc.cells'],
        visible: false,
        archived: false,
        segments: { selected: 3, visible: 2 }
      }
    ]);
  });

  it('reads the older object form of "layers", bare source strings included', () => {
    const rows = layerRows({
      layers: {
        raw: 'precomputed://gs://bucket/raw',
        seg: { type: 'segmentation', source: 'precomputed://gs://bucket/seg' }
      }
    });
    expect(rows.map(row => [row.name, row.type, row.sources])).toEqual([
      ['raw', 'auto', ['precomputed://gs://bucket/raw']],
      ['seg', 'segmentation', ['precomputed://gs://bucket/seg']]
    ]);
    expect(rows[1].segments).toEqual({ selected: 0, visible: 0 });
  });

  it('marks archived layers hidden and skips what is not a layer', () => {
    const rows = layerRows({
      layers: [
        { name: 'old', type: 'annotation', archived: true },
        null,
        'not a layer',
        { name: 'mesh', type: 'mesh', source: 'obj://x' }
      ]
    });
    expect(rows.map(row => [row.name, row.visible, row.archived])).toEqual([
      ['old', false, true],
      ['mesh', true, false]
    ]);
  });

  it('has no rows without layers', () => {
    expect(layerRows(null)).toEqual([]);
    expect(layerRows({})).toEqual([]);
    expect(layerSpecs({ layers: 5 })).toEqual([]);
  });

  it('collects source URLs from strings, objects and arrays', () => {
    expect(sourceUrls('zarr://https://h/x.zarr')).toEqual([
      'zarr://https://h/x.zarr'
    ]);
    expect(
      sourceUrls([
        { url: 'a://1', transform: {} },
        'b://2',
        { subsources: {} },
        ''
      ])
    ).toEqual(['a://1', 'b://2']);
    expect(sourceUrls(undefined)).toEqual([]);
  });
});
