/**
 * Reaching into a Neuroglancer panel's iframe: it is same-origin, so its `window.viewer` is
 * Neuroglancer's own viewer object.
 */
import { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { expect, Frame } from '@playwright/test';

/** The frame of the Neuroglancer panel whose tab label contains `label`. */
export async function viewerFrame(
  page: IJupyterLabPageFixture,
  label: string
): Promise<Frame> {
  const tab = page.locator('.lm-DockPanel-tabBar .lm-TabBar-tab', {
    hasText: label
  });
  await expect(tab).toHaveCount(1);
  const panel = page.locator('.jp-NeuroglancerPanel:visible');
  await expect(panel).toHaveCount(1);
  const handle = await panel.locator('iframe').elementHandle();
  const frame = await handle!.contentFrame();
  expect(frame).not.toBeNull();
  // The viewer page comes through the Jupyter server's proxy, never the kernel's own port.
  await expect
    .poll(() => frame!.url())
    .toMatch(/\/neuroglancer\/proxy\/[^/]+\/v\/[^/]+\/$/);
  return frame!;
}

/** Wait until the viewer has loaded and drawn everything it can see. */
export async function waitForRender(frame: Frame): Promise<void> {
  await frame.waitForFunction(
    () => (window as any).viewer !== undefined,
    undefined,
    {
      timeout: 60000
    }
  );
  await frame.waitForFunction(
    () => (window as any).viewer.display.isReady(),
    undefined,
    {
      timeout: 120000,
      polling: 500
    }
  );
}

/** The viewer's state as Neuroglancer serialises it. */
export function viewerState(frame: Frame): Promise<any> {
  return frame.evaluate(() => (window as any).viewer.state.toJSON());
}

/** How many mesh fragments the viewer holds in GPU memory (Neuroglancer's ChunkState 0). */
export function meshFragmentsOnGpu(frame: Frame): Promise<number> {
  return frame.evaluate(() => {
    let count = 0;
    for (const managed of (window as any).viewer.layerManager.managedLayers) {
      for (const renderLayer of managed.layer?.renderLayers ?? []) {
        const fragments = renderLayer.source?.fragmentSource?.chunks;
        for (const chunk of fragments?.values() ?? []) {
          count += chunk.state === 0 && chunk.vertexBuffer ? 1 : 0;
        }
      }
    }
    return count;
  });
}
