import {
  DEFAULT_SHARE_HOST,
  localOnlySources,
  localSourceReason,
  normalizeShareHost,
  shareLink,
  stateFragment
} from '../models/shareLink';
import { parseNeuroglancerInput } from '../neuroglancerState';

const SERVER = {
  origin: 'https://hub.example.org',
  baseUrl: 'https://hub.example.org/user/ana/'
};

describe('share links', () => {
  const state = {
    layout: 'xy',
    layers: [
      { name: 'a "quoted" name & more #!', source: 'precomputed://gs://b/x' }
    ]
  };

  it('puts the state after #! on the host page, percent-encoded', () => {
    const link = shareLink(DEFAULT_SHARE_HOST, state)!;
    expect(link.startsWith('https://neuroglancer-demo.appspot.com/#!%7B')).toBe(
      true
    );
    expect(link).not.toMatch(/[\s"{}]/);
    // What the "Open URL" command accepts, and the same state back.
    expect(parseNeuroglancerInput(link)).toEqual(state);
  });

  it('keeps a host path and drops a fragment', () => {
    expect(normalizeShareHost(' https://ng.example.org/app/ ')).toBe(
      'https://ng.example.org/app/'
    );
    expect(normalizeShareHost('http://ng.example.org#!{}')).toBe(
      'http://ng.example.org/'
    );
    expect(shareLink('https://ng.example.org/app/index.html', {})).toBe(
      'https://ng.example.org/app/index.html' + stateFragment({})
    );
  });

  it('refuses hosts that are not http(s) URLs', () => {
    for (const host of [
      '',
      'neuroglancer-demo.appspot.com',
      'ftp://x',
      'javascript:alert(1)'
    ]) {
      expect(normalizeShareHost(host)).toBeNull();
      expect(shareLink(host, state)).toBeNull();
    }
  });
});

describe('sources that only resolve here', () => {
  it('recognises kernel volumes, this server and localhost', () => {
    const cases: [string, string | null][] = [
      ['python://volume/abc.def', 'python'],
      [
        'zarr://https://hub.example.org/user/ana/neuroglancer/files/d/x.zarr/',
        'server'
      ],
      ['https://hub.example.org/user/bob/files/x.nii', 'server'],
      ['precomputed://http://localhost:9000/vol', 'localhost'],
      ['n5://http://127.0.0.1:8080/a.n5', 'localhost'],
      ['zarr2://http://[::1]:9000/x', 'localhost'],
      ['https://data.localhost/x.zarr/|zarr2:', 'localhost'],
      ['precomputed://gs://neuroglancer-public-data/flyem', null],
      ['zarr://https://example.org/localhost/x.zarr', null],
      ['local://annotations', null],
      ['https://hub.example.org.evil.com/x', null]
    ];
    for (const [url, reason] of cases) {
      expect([url, localSourceReason(url, SERVER)]).toEqual([url, reason]);
    }
  });

  it('names the layer of every such source', () => {
    const state = {
      layers: [
        {
          name: 'em',
          type: 'image',
          source: [{ url: 'python://volume/t.em' }]
        },
        { name: 'public', source: 'precomputed://gs://bucket/x' },
        {
          name: 'mixed',
          source: [
            'precomputed://gs://bucket/y',
            'zarr://http://localhost:8000/y.zarr'
          ]
        },
        { name: 'points', type: 'annotation', source: 'local://annotations' }
      ]
    };
    expect(localOnlySources(state, SERVER)).toEqual([
      { layer: 'em', url: 'python://volume/t.em', reason: 'python' },
      {
        layer: 'mixed',
        url: 'zarr://http://localhost:8000/y.zarr',
        reason: 'localhost'
      }
    ]);
    expect(localOnlySources(null, SERVER)).toEqual([]);
  });

  it('recognises the own routes of a server on localhost as this server', () => {
    const local = {
      origin: 'http://localhost:8888',
      baseUrl: 'http://localhost:8888/'
    };
    expect(
      localSourceReason(
        'zarr://http://localhost:8888/neuroglancer/files/x.zarr',
        local
      )
    ).toBe('server');
    expect(
      localSourceReason('zarr://http://localhost:9999/x.zarr', local)
    ).toBe('localhost');
  });
});
