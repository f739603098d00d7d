/**
 * Calls to the server extension's JSON API under `<base_url>/neuroglancer/api/`.
 */
import { PageConfig, URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import { IViewerRecord } from './tokens';

/**
 * An error answered by the server extension, or the server not answering at all.
 * The message is a sentence for the user.
 */
export class ServerApiError extends Error {
  constructor(
    message: string,
    readonly status: number
  ) {
    super(message);
    this.name = 'ServerApiError';
  }
}

/**
 * Make a request to `neuroglancer/api/<endPoint>`; XSRF and token headers come from
 * `ServerConnection`.
 */
export async function requestAPI<T>(
  endPoint: string,
  init: RequestInit = {}
): Promise<T> {
  const settings = ServerConnection.makeSettings();
  const url = URLExt.join(settings.baseUrl, 'neuroglancer', 'api', endPoint);
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, init, settings);
  } catch {
    throw new ServerApiError(
      'The Jupyter server could not be reached. Check that it is still running, then try again.',
      0
    );
  }
  const text = await response.text();
  let body: any = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  if (!response.ok) {
    const message =
      body?.message ??
      (response.status === 404 && !body
        ? 'The jupyterlab_neuroglancer server extension is not enabled. Run "jupyter server extension enable jupyterlab_neuroglancer" and restart JupyterLab.'
        : `The server answered ${response.status} ${response.statusText}.`);
    throw new ServerApiError(message, response.status);
  }
  return body as T;
}

function postJson<T>(endPoint: string, body: unknown): Promise<T> {
  return requestAPI<T>(endPoint, {
    method: 'POST',
    body: JSON.stringify(body)
  });
}

/**
 * Ask the server to proxy a viewer that a kernel announced; it checks the kernel owns the port.
 */
export function registerKernelViewer(options: {
  kernelId: string;
  port: number;
  token: string;
  name: string;
}): Promise<IViewerRecord> {
  return postJson<IViewerRecord>('viewers', {
    kernel_id: options.kernelId,
    port: options.port,
    token: options.token,
    name: options.name
  });
}

/**
 * Create a viewer in the Jupyter server process: from a state, or the offline demo.
 */
export function createHostedViewer(options: {
  state?: object;
  demo?: boolean;
  name: string;
}): Promise<IViewerRecord> {
  return postJson<IViewerRecord>('hosted-viewers', options);
}

/**
 * The registry record of viewer `id`.
 */
export function getViewer(id: string): Promise<IViewerRecord> {
  return requestAPI<IViewerRecord>(`viewers/${encodeURIComponent(id)}`);
}

/**
 * Forget viewer `id`; the server stops it when it hosts it (a kernel's viewer is left running).
 */
export async function deleteViewer(id: string): Promise<void> {
  await requestAPI<unknown>(`viewers/${encodeURIComponent(id)}`, {
    method: 'DELETE'
  });
}

/**
 * The absolute path of a viewer's page, served through the proxy.
 */
export function viewerPageUrl(record: IViewerRecord): string {
  return URLExt.join(PageConfig.getBaseUrl(), record.url);
}
