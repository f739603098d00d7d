/**
 * Shareable links: the state on a public Neuroglancer host, and the sources such a link cannot
 * show to someone else because they only resolve on this server.
 */
import { NeuroglancerState } from '../neuroglancerState';
import { layerSpecs, sourceUrls } from './layerRows';

/** The public Neuroglancer host links point at unless the settings say otherwise. */
export const DEFAULT_SHARE_HOST = 'https://neuroglancer-demo.appspot.com';

/**
 * The Neuroglancer page a share link opens, from the `shareHost` setting: an http(s) URL,
 * with `/` added when it names only a host. `null` when it is not such a URL.
 */
export function normalizeShareHost(host: string): string | null {
  const text = host.trim();
  if (!/^https?:\/\/[^/?#\s]+/i.test(text)) {
    return null;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  url.hash = '';
  // A bare host gets the "/" a browser would request anyway.
  return url.href;
}

/**
 * The fragment Neuroglancer reads a state from: `#!` and the percent-encoded JSON.
 */
export function stateFragment(state: NeuroglancerState): string {
  return `#!${encodeURIComponent(JSON.stringify(state))}`;
}

/**
 * The link that opens `state` on the Neuroglancer page `host` (see `normalizeShareHost`), or
 * `null` when `host` is not an http(s) URL.
 */
export function shareLink(
  host: string,
  state: NeuroglancerState
): string | null {
  const page = normalizeShareHost(host);
  return page === null ? null : page + stateFragment(state);
}

/**
 * Why a source only resolves here:
 * - `python`: served by the Python process that holds the viewer (`python://`, e.g. a kernel's
 *   `neuroglancer.LocalVolume`);
 * - `server`: a URL on this Jupyter server (the extension's own `neuroglancer/files/` route…);
 * - `localhost`: a URL on the loopback interface of whoever opens it.
 */
export type LocalSourceReason = 'python' | 'server' | 'localhost';

/**
 * A layer source that someone else opening a share link would not see.
 */
export interface ILocalSource {
  layer: string;
  url: string;
  reason: LocalSourceReason;
}

/**
 * Where this JupyterLab runs, to recognise URLs on its own server.
 */
export interface IServerLocation {
  /** The page's origin, e.g. `https://hub.example.org`. */
  origin: string;
  /** The server's base URL, absolute, e.g. `https://hub.example.org/user/ana/`. */
  baseUrl: string;
}

/**
 * Every `scheme://authority` inside a source URL: a source may nest URLs
 * (`zarr://https://host/…`, `https://host/x.zarr/|zarr2:`).
 */
const EMBEDDED_URL = /([a-z][a-z0-9+.-]*):\/\/([^/?#|\s]*)/;

/**
 * Why `url` only resolves on this server, or `null` when it can be shared.
 */
export function localSourceReason(
  url: string,
  server: IServerLocation
): LocalSourceReason | null {
  const text = url.trim();
  if (/^python:\/\//i.test(text)) {
    return 'python';
  }
  const base = server.baseUrl.toLowerCase();
  const origin = server.origin.toLowerCase();
  const ownRoute = `${base.replace(/\/?$/, '/')}neuroglancer/`;
  let found: LocalSourceReason | null = null;
  const embedded = new RegExp(EMBEDDED_URL.source, 'gi');
  for (let match = embedded.exec(text); match; match = embedded.exec(text)) {
    const scheme = match[1].toLowerCase();
    const authority = match[2].toLowerCase();
    // Look for a nested URL right after this "scheme://" (zarr://https://…).
    embedded.lastIndex = match.index + match[1].length + 3;
    if (scheme === 'python') {
      return 'python';
    }
    if (scheme !== 'http' && scheme !== 'https') {
      continue;
    }
    const rest = text.slice(match.index).toLowerCase();
    if (
      rest.startsWith(ownRoute) ||
      (origin && `${scheme}://${authority}` === origin)
    ) {
      return 'server';
    }
    if (isLoopbackHost(hostOf(authority))) {
      found = 'localhost';
    }
  }
  return found;
}

/**
 * The sources of `state` that a share link would not show to someone else.
 */
export function localOnlySources(
  state: NeuroglancerState | null | undefined,
  server: IServerLocation
): ILocalSource[] {
  const result: ILocalSource[] = [];
  for (const spec of layerSpecs(state)) {
    const layer = typeof spec.name === 'string' ? spec.name : '';
    for (const url of sourceUrls(spec.source)) {
      const reason = localSourceReason(url, server);
      if (reason) {
        result.push({ layer, url, reason });
      }
    }
  }
  return result;
}

/** The host of an authority: without user info and port (`[::1]:8888` → `::1`). */
function hostOf(authority: string): string {
  const host = authority.slice(authority.lastIndexOf('@') + 1);
  if (host.startsWith('[')) {
    return host.slice(1, host.indexOf(']') < 0 ? undefined : host.indexOf(']'));
  }
  const colon = host.indexOf(':');
  return colon < 0 ? host : host.slice(0, colon);
}

function isLoopbackHost(host: string): boolean {
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '::1' ||
    host === '0.0.0.0' ||
    /^127(\.\d{1,3}){3}$/.test(host)
  );
}
