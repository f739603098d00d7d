import { displayName, openKind } from '../datasetPaths';

describe('openKind', () => {
  it('opens JSON files as state documents', () => {
    expect(openKind('views/cells.ng.json')).toBe('state');
    expect(openKind('views/saved view.json')).toBe('state');
    expect(openKind('UPPER.JSON')).toBe('state');
  });

  it('opens the metadata files of datasets as their dataset', () => {
    for (const name of [
      'zarr.json',
      '.zarray',
      '.zattrs',
      '.zgroup',
      '.zmetadata',
      'attributes.json',
      'info'
    ]) {
      expect(openKind(`data/volume.zarr/${name}`)).toBe('dataset');
    }
  });

  it('opens folders and volume files as datasets', () => {
    expect(openKind('data/cells.ome.zarr')).toBe('dataset');
    expect(openKind('data/brain.nii.gz')).toBe('dataset');
    expect(openKind('data/precomputed_em')).toBe('dataset');
    // A folder whose name ends in .json is still asked about by name: the server decides.
    expect(openKind('')).toBe('dataset');
  });
});

describe('displayName', () => {
  it('is the last segment of the path', () => {
    expect(displayName('data/cells.ome.zarr')).toBe('cells.ome.zarr');
    expect(displayName('data/cells.ome.zarr/')).toBe('cells.ome.zarr');
    expect(displayName('brain.nii')).toBe('brain.nii');
    expect(displayName('')).toBe('/');
  });
});
