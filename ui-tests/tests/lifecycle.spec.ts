/**
 * Viewer lifecycle against a real JupyterLab, kernels and Neuroglancer: panels come back after a
 * reload, a kernel restart is reported and the viewer recreated, twenty panels share the GPU,
 * JupyterLab's shortcuts work from inside a viewer, and the screenshot button saves a PNG.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import { Frame, Locator } from '@playwright/test';
import * as fs from 'fs';

import { runCode } from './notebook';
import { viewerFrame, viewerState, waitForRender } from './viewerFrame';

/** A state that needs no network: local point annotations in an 8 nm space. */
function annotationState(position: number[]): Record<string, unknown> {
  return {
    dimensions: { x: [8e-9, 'm'], y: [8e-9, 'm'], z: [8e-9, 'm'] },
    position,
    crossSectionScale: 1,
    layout: 'xy',
    layers: [
      {
        type: 'annotation',
        name: 'points',
        source: 'local://annotations',
        annotations: [{ type: 'point', id: 'a', point: position }]
      }
    ]
  };
}

/**
 * Create notebook `name` in `folder` (from the server root) and open it, with a Python kernel. (Galata's
 * `notebook.createNew` renames an `Untitled.ipynb` whose kernel session keeps the old path, so
 * that a reloaded page would not find the notebook's kernel again.)
 */
async function openNotebook(
  page: IJupyterLabPageFixture,
  folder: string,
  name: string
): Promise<void> {
  const notebook = {
    cells: [
      {
        cell_type: 'code',
        source: '',
        metadata: {},
        outputs: [],
        execution_count: null
      }
    ],
    metadata: {
      kernelspec: {
        name: 'python3',
        display_name: 'Python 3 (ipykernel)',
        language: 'python'
      }
    },
    nbformat: 4,
    nbformat_minor: 5
  };
  await page.contents.uploadContent(
    JSON.stringify(notebook),
    'text',
    `${folder}/${name}`
  );
  await page.filebrowser.open(`${folder}/${name}`);
  await waitForIdleKernel(page);
}

/** Wait until the current notebook's kernel is idle. */
async function waitForIdleKernel(page: IJupyterLabPageFixture): Promise<void> {
  await page.waitForFunction(
    () =>
      (window as any).jupyterapp.shell.currentWidget?.sessionContext?.session
        ?.kernel?.status === 'idle',
    undefined,
    { timeout: 60000 }
  );
}

/** Reload the page; the restored layout has no launcher for Galata to wait for. */
async function reload(page: IJupyterLabPageFixture): Promise<void> {
  // Galata's reload accepts waitForIsReady at run time; its type does not declare it.
  const reloadPage = page.reload as (options: object) => Promise<unknown>;
  await reloadPage.call(page, { waitForIsReady: false });
  await page.waitForFunction(() => (window as any).jupyterapp?.restored);
  await page.evaluate(() => (window as any).jupyterapp.restored);
}

/** Run a JupyterLab command (resolves when it does). */
async function execute(
  page: IJupyterLabPageFixture,
  command: string,
  args: Record<string, unknown> = {}
): Promise<void> {
  await page.evaluate(
    ({ command, args }) =>
      (window as any).jupyterapp.commands.execute(command, args),
    { command, args }
  );
}

/** Open `state` in the kernel of the current notebook (it becomes `viewer`, `viewer_2`...). */
async function openInKernel(
  page: IJupyterLabPageFixture,
  state: Record<string, unknown>
): Promise<void> {
  await waitForIdleKernel(page);
  await execute(page, 'neuroglancer:open-url', {
    url: JSON.stringify(state),
    kernel: 'active'
  });
}

/** Move the viewer of `frame` to `position` (as a user navigating would). */
async function moveTo(frame: Frame, position: number[]): Promise<void> {
  await frame.evaluate(position => {
    (window as any).viewer.navigationState.position.value =
      Float32Array.from(position);
  }, position);
}

async function positionOf(frame: Frame): Promise<number[]> {
  return ((await viewerState(frame)).position as number[]).map(Math.round);
}

/** Show the tab whose label is exactly `label`. */
async function showTab(
  page: IJupyterLabPageFixture,
  label: string
): Promise<void> {
  await page.getByRole('tab', { name: label, exact: true }).click();
}

/** The banner of the visible Neuroglancer panel. */
function banner(page: IJupyterLabPageFixture): Locator {
  return page.locator('.jp-NeuroglancerPanel:visible .jp-NeuroglancerBanner');
}

/** Restart the current notebook's kernel, confirming the dialog. */
async function restartKernel(page: IJupyterLabPageFixture): Promise<void> {
  await page.evaluate(() => {
    void (window as any).jupyterapp.commands.execute('notebook:restart-kernel');
  });
  await page.locator('.jp-Dialog .jp-mod-accept').click();
}

/** Wait until the layout restorer saved the panels' latest state (debounced). */
async function waitForWorkspaceSave(page: IJupyterLabPageFixture) {
  await page.waitForTimeout(2500);
}

test.describe('Viewer lifecycle', () => {
  // Galata's mock of the kernels API answers a kernel restart with 201, which JupyterLab takes
  // for a failed restart (it then never reconnects to the kernel): let the requests through.
  // The sessions mock still shuts the kernels down after each test.
  test.use({ kernels: null });

  test('a reload brings both panels back in place, with their state', async ({
    page,
    tmpPath
  }) => {
    await openNotebook(page, tmpPath, 'reload.ipynb');
    await openInKernel(page, annotationState([50, 50, 50]));
    const kernelFrame = await viewerFrame(page, 'viewer · reload.ipynb');
    await waitForRender(kernelFrame);
    await moveTo(kernelFrame, [21, 22, 23]);

    await execute(page, 'neuroglancer:open-url', {
      url: JSON.stringify(annotationState([60, 60, 60])),
      kernel: 'none'
    });
    const hostedFrame = await viewerFrame(page, 'Neuroglancer');
    await waitForRender(hostedFrame);
    await moveTo(hostedFrame, [31, 32, 33]);
    await waitForWorkspaceSave(page);

    await reload(page);

    await expect(
      page.getByRole('tab', { name: 'viewer · reload.ipynb', exact: true })
    ).toHaveCount(1);
    await expect(
      page.getByRole('tab', { name: 'Neuroglancer', exact: true })
    ).toHaveCount(1);

    await showTab(page, 'Neuroglancer');
    const hostedAgain = await viewerFrame(page, 'Neuroglancer');
    await waitForRender(hostedAgain);
    expect(await positionOf(hostedAgain)).toEqual([31, 32, 33]);

    await showTab(page, 'viewer · reload.ipynb');
    const kernelAgain = await viewerFrame(page, 'viewer · reload.ipynb');
    await waitForRender(kernelAgain);
    expect(await positionOf(kernelAgain)).toEqual([21, 22, 23]);
    // Reattached: the kernel's viewer itself, no banner.
    await expect(banner(page)).toBeHidden();
    await showTab(page, 'reload.ipynb');
    const output = await runCode(
      page,
      'print("kernel", [int(v) for v in viewer.state.position])'
    );
    expect(output).toContain('kernel [21, 22, 23]');
  });

  test('a kernel restart is reported at once; "recreate" brings `viewer` back with its state', async ({
    page,
    tmpPath
  }) => {
    await openNotebook(page, tmpPath, 'restart.ipynb');
    await openInKernel(page, annotationState([50, 50, 50]));
    const frame = await viewerFrame(page, 'viewer · restart.ipynb');
    await waitForRender(frame);
    await moveTo(frame, [11, 22, 33]);
    await page.waitForTimeout(500); // the panel reads the state shortly after a change

    await showTab(page, 'restart.ipynb');
    await restartKernel(page);
    await showTab(page, 'viewer · restart.ipynb');
    // Within two seconds of the restart the panel says what happened.
    await expect(banner(page)).toContainText(
      'The kernel of restart.ipynb restarted; viewer is gone.',
      { timeout: 2000 }
    );
    await expect(banner(page).locator('code')).toHaveText('viewer');

    // The Running panel lists it, as gone.
    await page.sidebar.openTab('jp-running-sessions');
    const row = page.locator('.jp-NeuroglancerRunningViewer', {
      hasText: 'viewer · restart.ipynb'
    });
    await expect(row).toHaveClass(/jp-mod-gone/);
    await expect(row).toContainText('gone: kernel restarted');
    await page.screenshot({ path: 'test-results/lifecycle-restarted.png' });

    await banner(page)
      .getByRole('button', { name: 'Recreate in the kernel' })
      .click();
    await expect(banner(page)).toBeHidden({ timeout: 30000 });
    await expect(row).toHaveClass(/jp-mod-live/);
    const recreated = await viewerFrame(page, 'viewer · restart.ipynb');
    await waitForRender(recreated);
    expect(await positionOf(recreated)).toEqual([11, 22, 33]);
    await page.screenshot({ path: 'test-results/lifecycle-recreated.png' });

    // `viewer` is a variable of the new kernel again, with the same state.
    await showTab(page, 'restart.ipynb');
    const output = await runCode(
      page,
      'print("kernel", [int(v) for v in viewer.state.position], viewer.state.layers[0].name)'
    );
    expect(output).toContain('kernel [11, 22, 33] points');

    // Once more, keeping it standalone this time: a viewer hosted by the Jupyter server.
    await restartKernel(page);
    await showTab(page, 'viewer · restart.ipynb');
    await expect(banner(page)).toContainText('restarted', { timeout: 2000 });
    await banner(page)
      .getByRole('button', { name: 'Keep as standalone viewer' })
      .click();
    await expect(banner(page)).toBeHidden({ timeout: 30000 });
    const standalone = await viewerFrame(page, 'viewer');
    await waitForRender(standalone);
    expect(await positionOf(standalone)).toEqual([11, 22, 33]);
    await expect(page.locator('.jp-NeuroglancerPanel:visible')).not.toHaveClass(
      /jp-mod-viewerGone/
    );
  });

  test('after a reload, a viewer whose kernel restarted comes back standalone and can be recreated', async ({
    page,
    tmpPath
  }) => {
    await openNotebook(page, tmpPath, 'away.ipynb');
    await openInKernel(page, annotationState([50, 50, 50]));
    const frame = await viewerFrame(page, 'viewer · away.ipynb');
    await waitForRender(frame);
    await moveTo(frame, [44, 45, 46]);
    await waitForWorkspaceSave(page);

    await showTab(page, 'away.ipynb');
    await restartKernel(page);
    await showTab(page, 'viewer · away.ipynb');
    await expect(banner(page)).toContainText('restarted', { timeout: 2000 });
    await reload(page);

    await showTab(page, 'viewer · away.ipynb');
    const restored = await viewerFrame(page, 'viewer · away.ipynb');
    await waitForRender(restored);
    expect(await positionOf(restored)).toEqual([44, 45, 46]);
    await expect(banner(page)).toContainText(
      'The kernel of away.ipynb restarted, so viewer could not be reattached.'
    );
    await expect(banner(page)).toContainText(
      'Its last state opened here in a viewer hosted by the Jupyter server.'
    );
    await page.screenshot({ path: 'test-results/lifecycle-restored.png' });
    await execute(page, 'apputils:change-theme', { theme: 'JupyterLab Dark' });
    await expect(page.locator('body')).toHaveAttribute(
      'data-jp-theme-light',
      'false'
    );
    await expect(page.locator('#jupyterlab-splash')).toHaveCount(0);
    await page.screenshot({ path: 'test-results/lifecycle-restored-dark.png' });

    await banner(page)
      .getByRole('button', { name: "Recreate in away.ipynb's kernel" })
      .click();
    await expect(banner(page)).toBeHidden({ timeout: 30000 });
    const recreated = await viewerFrame(page, 'viewer · away.ipynb');
    await waitForRender(recreated);
    expect(await positionOf(recreated)).toEqual([44, 45, 46]);
    await showTab(page, 'away.ipynb');
    const output = await runCode(
      page,
      'print("kernel", [int(v) for v in viewer.state.position])'
    );
    expect(output).toContain('kernel [44, 45, 46]');
  });

  test("JupyterLab's shortcuts work from inside a viewer, and Neuroglancer's keys too", async ({
    page
  }) => {
    await execute(page, 'neuroglancer:open-url', {
      url: JSON.stringify(annotationState([50, 50, 50])),
      kernel: 'none'
    });
    const frame = await viewerFrame(page, 'Neuroglancer');
    await waitForRender(frame);
    const panel = page.locator('.jp-NeuroglancerPanel:visible');
    // Click into the viewer as a user would: on whatever is drawn in the middle of it.
    const clickViewer = async () => {
      const box = (await panel.locator('iframe').boundingBox())!;
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    };

    // A Neuroglancer key: space toggles between one view and four.
    await clickViewer();
    const before = (await viewerState(frame)).layout;
    await page.keyboard.press('Space');
    await expect
      .poll(async () => (await viewerState(frame)).layout)
      .not.toEqual(before);

    // A JupyterLab shortcut: the command palette opens from inside the viewer.
    await clickViewer();
    await page.keyboard.press('Control+Shift+C');
    await expect(page.locator('#modal-command-palette')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.locator('#modal-command-palette')).toBeHidden();

    // Switching tabs from inside the viewer (to the launcher, in the other dock area).
    const current = () =>
      page.evaluate(
        () => (window as any).jupyterapp.shell.currentWidget?.title.label
      );
    await clickViewer();
    await expect.poll(current).toBe('Neuroglancer');
    await page.keyboard.press('Control+Shift+[');
    await expect.poll(current).toBe('Launcher');
  });

  test('the screenshot button saves a PNG of the view next to the notebook', async ({
    page,
    tmpPath
  }) => {
    await page.contents.createDirectory(`${tmpPath}/shots`);
    await openNotebook(page, `${tmpPath}/shots`, 'pictures.ipynb');
    await openInKernel(page, annotationState([50, 50, 50]));
    const frame = await viewerFrame(page, 'viewer · pictures.ipynb');
    await waitForRender(frame);

    await page
      .locator(
        '.jp-NeuroglancerPanel:visible [title^="Save a PNG of the current view"]'
      )
      .first()
      .click();
    const toast = page.locator('.jp-toast-message', {
      hasText: `Saved the screenshot as ${tmpPath}/shots/viewer-`
    });
    await expect(toast).toBeVisible();
    const path = (await toast.textContent())!.match(
      /\S+\/shots\/viewer-[\d-]+\.png/
    )![0];

    const png = await page.evaluate(async path => {
      const app = (window as any).jupyterapp;
      const model = await app.serviceManager.contents.get(path, {
        content: true,
        format: 'base64',
        type: 'file'
      });
      const bytes = atob(model.content);
      const image = new Image();
      image.src = `data:image/png;base64,${model.content}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.width;
      canvas.height = image.height;
      const context = canvas.getContext('2d')!;
      context.drawImage(image, 0, 0);
      const pixels = context.getImageData(0, 0, image.width, image.height).data;
      const colours = new Set<number>();
      for (let i = 0; i < pixels.length; i += 4 * 97) {
        colours.add((pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]);
      }
      return {
        signature: bytes.slice(1, 4),
        width: image.width,
        height: image.height,
        colours: colours.size,
        content: model.content as string
      };
    }, path);
    // Kept to be looked at.
    fs.writeFileSync(
      'test-results/lifecycle-screenshot-button.png',
      Buffer.from(png.content, 'base64')
    );
    expect(png.signature).toBe('PNG');
    expect(png.width).toBeGreaterThan(200);
    expect(png.height).toBeGreaterThan(200);
    expect(png.colours).toBeGreaterThan(1);
  });

  test('twenty demo panels: hidden ones give up WebGL, each renders when shown', async ({
    page
  }) => {
    test.setTimeout(240000);
    const COUNT = 20;
    const started = Date.now();
    // Twenty demos at once: the server builds them on its worker threads, a panel opening as
    // each is ready.
    await page.evaluate(async count => {
      const commands = (window as any).jupyterapp.commands;
      await Promise.all(
        Array.from({ length: count }, () =>
          commands.execute('neuroglancer:open-demo', { kernel: 'none' })
        )
      );
    }, COUNT);
    const tabs = page.locator('.lm-DockPanel-tabBar .lm-TabBar-tab', {
      hasText: 'Neuroglancer demo'
    });
    await expect(tabs).toHaveCount(COUNT);
    console.log(`${COUNT} demo panels open after ${Date.now() - started} ms`);

    const liveViewers = async () => {
      let live = 0;
      for (const frame of page.frames()) {
        try {
          live += (await frame.evaluate(() => !!(window as any).viewer))
            ? 1
            : 0;
        } catch {
          // A frame navigating away.
        }
      }
      return live;
    };

    let mostLive = 0;
    for (let i = 0; i < COUNT; i++) {
      await tabs.nth(i).click();
      const panel = page.locator('.jp-NeuroglancerPanel:visible');
      await expect(panel).toHaveCount(1);
      const handle = await panel.locator('iframe').elementHandle();
      const frame = (await handle!.contentFrame())!;
      // Its state comes back from the viewer's server, then it draws everything it shows.
      await frame.waitForFunction(
        () => {
          const viewer = (window as any).viewer;
          return (
            viewer?.layerManager?.managedLayers?.length === 2 &&
            viewer.display.isReady() === true
          );
        },
        undefined,
        { timeout: 60000, polling: 250 }
      );
      const state = await viewerState(frame);
      expect(state.layers.map((layer: any) => layer.name)).toEqual([
        'em',
        'segmentation'
      ]);
      mostLive = Math.max(mostLive, await liveViewers());
    }
    console.log(
      `shown one by one after ${Date.now() - started} ms; at most ${mostLive} live viewers`
    );
    // The visible panel, and at most the last one or two still inside their grace period.
    expect(mostLive).toBeLessThanOrEqual(3);
    await page.waitForTimeout(2500);
    expect(await liveViewers()).toBe(1);

    await page.sidebar.openTab('jp-running-sessions');
    await expect(page.locator('.jp-NeuroglancerRunningViewer')).toHaveCount(
      COUNT
    );
    await page.screenshot({ path: 'test-results/lifecycle-twenty.png' });

    // After a reload all twenty come back, and only the visible one loads its viewer.
    await reload(page);
    await expect(tabs).toHaveCount(COUNT);
    const visible = page.locator('.jp-NeuroglancerPanel:visible');
    await expect(visible).toHaveCount(1);
    const frame = (await (await visible
      .locator('iframe')
      .elementHandle())!.contentFrame())!;
    await waitForRender(frame);
    await page.waitForTimeout(2500);
    expect(await liveViewers()).toBe(1);
  });
});
