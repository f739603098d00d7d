import { expect, test } from '@jupyterlab/galata';

import { ANNOTATION_STATE as STATE, runPaletteCommand } from './fixtures';
import { runCode } from './notebook';
import {
  meshFragmentsOnGpu,
  viewerFrame,
  viewerState,
  waitForRender
} from './viewerFrame';

const URL = `https://neuroglancer.example.org/#!${encodeURIComponent(JSON.stringify(STATE))}`;

test.describe('Neuroglancer panel', () => {
  test('Open URL runs in the notebook kernel and stays in sync both ways', async ({
    page
  }) => {
    await page.notebook.createNew('analysis.ipynb');
    // A variable named "viewer" already exists: the command must pick the next free name.
    await page.notebook.setCell(0, 'code', 'viewer = "taken"');
    await page.notebook.runCell(0);

    await runPaletteCommand(page, 'Open Neuroglancer URL…');
    await page.locator('.jp-Dialog input').fill(URL);
    await page.locator('.jp-Dialog .jp-mod-accept').click();

    await expect(
      page.locator('.jp-toast-message', { hasText: 'viewer_2' })
    ).toBeVisible();
    const frame = await viewerFrame(page, 'viewer_2 · analysis.ipynb');
    await waitForRender(frame);
    expect((await viewerState(frame)).layers[0].name).toBe('points');

    // Kernel → panel: a transaction in the notebook moves the viewer in the panel.
    // (The panel's tab also contains "analysis.ipynb": pick the notebook's own tab.)
    await page
      .getByRole('tab', { name: 'analysis.ipynb', exact: true })
      .click();
    await runCode(
      page,
      'with viewer_2.txn() as s:\n    s.position = [12, 34, 56]\n    s.layout = "xz"'
    );
    await expect
      .poll(async () => (await viewerState(frame)).position, { timeout: 15000 })
      .toEqual([12, 34, 56]);
    expect((await viewerState(frame)).layout).toBe('xz');

    // Panel → kernel: navigating in the viewer shows in viewer_2.state.
    await frame.evaluate(() => {
      (window as any).viewer.navigationState.position.value = Float32Array.of(
        7,
        8,
        9
      );
    });
    const output = await runCode(
      page,
      [
        'import time',
        'deadline = time.time() + 10',
        'while list(viewer_2.state.position) != [7, 8, 9] and time.time() < deadline:',
        '    time.sleep(0.2)',
        'print("kernel position", [int(v) for v in viewer_2.state.position])'
      ].join('\n')
    );
    expect(output).toContain('kernel position [7, 8, 9]');
  });

  test('the offline demo renders its image, segmentation and meshes', async ({
    page
  }) => {
    await runPaletteCommand(page, 'Open Neuroglancer Demo');
    const frame = await viewerFrame(page, 'Neuroglancer demo');
    await waitForRender(frame);
    const state = await viewerState(frame);
    expect(state.layers.map((layer: any) => layer.type)).toEqual([
      'image',
      'segmentation'
    ]);

    // The 3D view loaded meshes of the selected segments onto the GPU (fetched by Neuroglancer's
    // worker through the proxy).
    await expect
      .poll(() => meshFragmentsOnGpu(frame), { timeout: 60000 })
      .toBeGreaterThan(0);
    await waitForRender(frame);
    await page.screenshot({ path: 'test-results/demo-panel.png' });
  });

  test('the demo opened from a notebook is a Python variable that drives the panel', async ({
    page
  }) => {
    await page.notebook.createNew('demo.ipynb');
    await runPaletteCommand(page, 'Open Neuroglancer Demo');
    await expect(
      page.locator('.jp-toast-message', { hasText: '"viewer"' })
    ).toBeVisible();
    const frame = await viewerFrame(page, 'viewer · demo.ipynb');
    await waitForRender(frame);

    await page.getByRole('tab', { name: 'demo.ipynb', exact: true }).click();
    const output = await runCode(
      page,
      [
        'segmentation = viewer.state.layers["segmentation"]',
        'with viewer.txn() as s:',
        '    s.layers["segmentation"].segments = sorted(segmentation.segments)[:2]',
        '    s.layout = "xy-3d"',
        'print("segments", [int(s) for s in sorted(viewer.state.layers["segmentation"].segments)])'
      ].join('\n')
    );
    const segments = JSON.parse(output.replace('segments', '').trim());
    expect(segments).toHaveLength(2);
    await expect
      .poll(async () => {
        const state = await viewerState(frame);
        return [
          state.layout,
          state.layers[1].segments
            .map(Number)
            .sort((a: number, b: number) => a - b)
        ];
      })
      .toEqual(['xy-3d', segments]);
    await waitForRender(frame);
    await page.screenshot({ path: 'test-results/demo-in-notebook.png' });
  });

  test('a malformed URL gets a clear message and opens nothing', async ({
    page
  }) => {
    await runPaletteCommand(page, 'Open Neuroglancer URL…');
    await page.locator('.jp-Dialog input').fill('https://example.org/viewer/');
    await page.locator('.jp-Dialog .jp-mod-accept').click();
    await expect(page.locator('.jp-Dialog')).toContainText('no "#!"');
    await page.locator('.jp-Dialog .jp-mod-reject').click();
    await expect(page.locator('.jp-NeuroglancerPanel')).toHaveCount(0);
  });
});
