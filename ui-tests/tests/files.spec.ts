/**
 * Opening what is in the file browser in Neuroglancer, with no kernel: an OME-Zarr folder from
 * its context menu (the data must render), and state files as documents (dirty, save, revert,
 * close, and a clear message for a file that is not a state).
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import { Frame, Locator } from '@playwright/test';
import { gzipSync } from 'zlib';

import { ANNOTATION_STATE as STATE } from './fixtures';
import { viewerFrame, viewerState, waitForRender } from './viewerFrame';

const SHAPE = [32, 64, 64]; // z, y, x
const CHUNK = [16, 32, 32];

/** The voxel value at (z, y, x): a gradient with two bright balls, so slices show structure. */
function voxel(z: number, y: number, x: number): number {
  const ball = (cz: number, cy: number, cx: number, r: number) =>
    (z - cz) ** 2 + (y - cy) ** 2 + (x - cx) ** 2 <= r * r;
  if (ball(16, 20, 20, 12)) {
    return 250;
  }
  if (ball(16, 44, 44, 14)) {
    return 170;
  }
  return 30 + x;
}

/**
 * Write a small OME-Zarr 0.5 image (zarr v3: no dot files, which the contents API refuses)
 * through the contents API: metadata as text, raw uint8 chunks as base64.
 */
async function writeOmeZarr(
  page: IJupyterLabPageFixture,
  folder: string
): Promise<void> {
  const group = {
    zarr_format: 3,
    node_type: 'group',
    attributes: {
      ome: {
        version: '0.5',
        multiscales: [
          {
            name: 'cells',
            axes: ['z', 'y', 'x'].map(name => ({
              name,
              type: 'space',
              unit: 'micrometer'
            })),
            datasets: [
              {
                path: '0',
                coordinateTransformations: [
                  { type: 'scale', scale: [1, 0.5, 0.5] }
                ]
              }
            ]
          }
        ]
      }
    }
  };
  const array = {
    zarr_format: 3,
    node_type: 'array',
    shape: SHAPE,
    data_type: 'uint8',
    chunk_grid: {
      name: 'regular',
      configuration: { chunk_shape: CHUNK }
    },
    chunk_key_encoding: {
      name: 'default',
      configuration: { separator: '/' }
    },
    fill_value: 0,
    codecs: [{ name: 'bytes', configuration: { endian: 'little' } }],
    attributes: {},
    dimension_names: ['z', 'y', 'x']
  };
  expect(
    await page.contents.uploadContent(
      JSON.stringify(group),
      'text',
      `${folder}/zarr.json`
    )
  ).toBe(true);
  expect(
    await page.contents.uploadContent(
      JSON.stringify(array),
      'text',
      `${folder}/0/zarr.json`
    )
  ).toBe(true);
  for (let iz = 0; iz < SHAPE[0] / CHUNK[0]; iz++) {
    for (let iy = 0; iy < SHAPE[1] / CHUNK[1]; iy++) {
      for (let ix = 0; ix < SHAPE[2] / CHUNK[2]; ix++) {
        const bytes = Buffer.alloc(CHUNK[0] * CHUNK[1] * CHUNK[2]);
        let i = 0;
        for (let z = 0; z < CHUNK[0]; z++) {
          for (let y = 0; y < CHUNK[1]; y++) {
            for (let x = 0; x < CHUNK[2]; x++) {
              bytes[i++] = voxel(
                iz * CHUNK[0] + z,
                iy * CHUNK[1] + y,
                ix * CHUNK[2] + x
              );
            }
          }
        }
        expect(
          await page.contents.uploadContent(
            bytes.toString('base64'),
            'base64',
            `${folder}/0/c/${iz}/${iy}/${ix}`
          )
        ).toBe(true);
      }
    }
  }
}

/**
 * A NIfTI-1 volume (`.nii.gz`): 32³ uint8 voxels of 1 mm, a bright ball in a gradient, placed by
 * an identity qform (what Neuroglancer reads).
 */
function niftiGz(): Buffer {
  const n = 32;
  const header = Buffer.alloc(352);
  header.writeInt32LE(348, 0);
  [3, n, n, n, 1, 1, 1, 1].forEach((v, i) =>
    header.writeInt16LE(v, 40 + 2 * i)
  );
  header.writeInt16LE(2, 70); // uint8
  header.writeInt16LE(8, 72);
  [1, 1, 1, 1, 1, 1, 1, 1].forEach((v, i) =>
    header.writeFloatLE(v, 76 + 4 * i)
  );
  header.writeFloatLE(352, 108);
  header.writeUInt8(2, 123); // millimetres
  header.writeInt16LE(1, 252); // qform_code: scanner coordinates
  header.write('n+1\0', 344, 'latin1');
  const data = Buffer.alloc(n * n * n);
  for (let z = 0; z < n; z++) {
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++) {
        const inside = (x - 16) ** 2 + (y - 16) ** 2 + (z - 16) ** 2 <= 100;
        data[x + n * (y + n * z)] = inside ? 240 : 4 * x;
      }
    }
  }
  return gzipSync(Buffer.concat([header, data]));
}

/** The text of a file on the server, through the contents API. */
async function fileText(
  page: IJupyterLabPageFixture,
  path: string
): Promise<string> {
  const response = await page.request.get(
    `/api/contents/${path.split('/').map(encodeURIComponent).join('/')}?content=1&type=file&format=text`
  );
  expect(response.ok()).toBe(true);
  return (await response.json()).content;
}

/**
 * How much of a screenshot is not background: the share of pixels brighter than near-black,
 * and how many grey levels there are (the browser decodes the PNG).
 */
async function imageStats(
  page: IJupyterLabPageFixture,
  png: Buffer
): Promise<{ lit: number; levels: number }> {
  return page.evaluate(async data => {
    const image = new Image();
    image.src = `data:image/png;base64,${data}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext('2d')!;
    context.drawImage(image, 0, 0);
    const pixels = context.getImageData(0, 0, image.width, image.height).data;
    let lit = 0;
    const levels = new Set<number>();
    for (let i = 0; i < pixels.length; i += 4) {
      const grey = Math.round((pixels[i] + pixels[i + 1] + pixels[i + 2]) / 3);
      levels.add(grey);
      if (grey > 24) {
        lit++;
      }
    }
    return { lit: lit / (pixels.length / 4), levels: levels.size };
  }, png.toString('base64'));
}

/** The row of `name` in the file browser. */
function listingItem(page: IJupyterLabPageFixture, name: string): Locator {
  return page.locator('.jp-DirListing-item', {
    has: page.locator('.jp-DirListing-itemText', { hasText: name })
  });
}

/** The frame of the state document whose tab is `name`, once its viewer is there. */
async function documentFrame(
  page: IJupyterLabPageFixture,
  name: string
): Promise<Frame> {
  await expect(
    page.getByRole('tab', { name, exact: true }).first()
  ).toBeVisible();
  const iframe = page.locator(
    '.jp-NeuroglancerStateDocument:visible .jp-NeuroglancerStateView-frame iframe'
  );
  await expect(iframe).toHaveCount(1);
  const frame = await (await iframe.elementHandle())!.contentFrame();
  await expect
    .poll(() => frame!.url())
    .toMatch(/\/neuroglancer\/proxy\/[^/]+\/v\/[^/]+\/$/);
  return frame!;
}

function documentTab(page: IJupyterLabPageFixture, name: string): Locator {
  return page.locator('.lm-DockPanel-tabBar .lm-TabBar-tab', {
    hasText: name
  });
}

test.describe('Open from the file browser', () => {
  test('an OME-Zarr folder opens from its context menu and its data renders', async ({
    page,
    tmpPath
  }) => {
    await writeOmeZarr(page, `${tmpPath}/cells.ome.zarr`);
    await page.filebrowser.refresh();

    // The folder has the dataset file type (its icon) and the context-menu entry.
    const row = listingItem(page, 'cells.ome.zarr');
    await expect(row).toHaveAttribute(
      'data-file-type',
      'neuroglancer-ome-zarr'
    );
    await expect(
      row.locator('[data-icon="jupyterlab_neuroglancer:dataset"]')
    ).toHaveCount(1);
    await row.click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Open in Neuroglancer' }).click();

    const frame = await viewerFrame(page, 'cells');
    await waitForRender(frame);
    const state = await viewerState(frame);
    expect(state.layers).toHaveLength(1);
    expect(state.layers[0].name).toBe('cells');
    expect(state.layers[0].type).toBe('image');
    expect(JSON.stringify(state.layers[0].source)).toContain(
      `/neuroglancer/files/${tmpPath}/cells.ome.zarr/`
    );
    // The server centred the view on the volume (z, y, x = 32 × 64 × 64 voxels).
    const centre: Record<string, number> = { x: 32, y: 32, z: 16 };
    expect(state.position).toEqual(
      Object.keys(state.dimensions).map(axis => expect.closeTo(centre[axis], 0))
    );

    const panel = page.locator('.jp-NeuroglancerPanel:visible');
    await page.waitForTimeout(500);
    const png = await panel.locator('iframe').screenshot({
      path: test.info().outputPath('ome-zarr-panel.png')
    });
    const stats = await imageStats(page, png);
    // Not blank: a good part of the viewer shows data, in many grey levels.
    expect(stats.lit).toBeGreaterThan(0.1);
    expect(stats.levels).toBeGreaterThan(40);

    // "Save state as…" on the panel's toolbar: a .ng.json in the file browser's folder.
    await panel.getByRole('button', { name: 'Save state as…' }).click();
    const input = page.locator('.jp-Dialog input');
    await expect(input).toHaveValue('cells.ng.json');
    await page.locator('.jp-Dialog .jp-mod-accept').click();
    await expect
      .poll(() => page.contents.fileExists(`${tmpPath}/cells.ng.json`))
      .toBe(true);
    const saved = JSON.parse(await fileText(page, `${tmpPath}/cells.ng.json`));
    expect(saved.layers[0].source).toEqual(state.layers[0].source);
    await page.screenshot({ path: test.info().outputPath('ome-zarr-lab.png') });

    // The saved state opens as a document (double-click) and shows the same data.
    await page.filebrowser.refresh();
    await listingItem(page, 'cells.ng.json').dblclick();
    const reopened = await documentFrame(page, 'cells.ng.json');
    await waitForRender(reopened);
    expect((await viewerState(reopened)).layers[0].source).toEqual(
      state.layers[0].source
    );
    await page.screenshot({
      path: test.info().outputPath('ome-zarr-state-document.png')
    });
  });

  test('a folder that is not a dataset says why, in a dialog', async ({
    page,
    tmpPath
  }) => {
    await page.contents.uploadContent(
      'hello',
      'text',
      `${tmpPath}/notes/a.txt`
    );
    await page.filebrowser.refresh();
    await listingItem(page, 'notes').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Open in Neuroglancer' }).click();
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText('Cannot open notes in Neuroglancer');
    await expect(dialog).toContainText('Neuroglancer opens zarr');
    await page.screenshot({
      path: test.info().outputPath('not-a-dataset.png')
    });
    await dialog
      .locator('.jp-Dialog-footer button', { hasText: 'Close' })
      .click();
    await expect(page.locator('.jp-NeuroglancerPanel')).toHaveCount(0);
  });

  test('a NIfTI file opens from its context menu', async ({
    page,
    tmpPath
  }) => {
    expect(
      await page.contents.uploadContent(
        niftiGz().toString('base64'),
        'base64',
        `${tmpPath}/brain.nii.gz`
      )
    ).toBe(true);
    await page.filebrowser.refresh();
    const row = listingItem(page, 'brain.nii.gz');
    await expect(row).toHaveAttribute('data-file-type', 'neuroglancer-nifti');
    await row.click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Open in Neuroglancer' }).click();

    const frame = await viewerFrame(page, 'brain');
    await waitForRender(frame);
    const state = await viewerState(frame);
    expect(state.layers[0].name).toBe('brain');
    expect(JSON.stringify(state.layers[0].source)).toContain('nifti://');
    const png = await page
      .locator('.jp-NeuroglancerPanel:visible iframe')
      .screenshot({ path: test.info().outputPath('nifti-panel.png') });
    expect((await imageStats(page, png)).lit).toBeGreaterThan(0.1);
  });

  test('a state file is a document: dirty on change, saved, reverted, asks on close', async ({
    page,
    tmpPath
  }) => {
    const path = `${tmpPath}/view.ng.json`;
    await page.contents.uploadContent(
      JSON.stringify(STATE, null, 2),
      'text',
      path
    );
    await page.filebrowser.refresh();
    const row = listingItem(page, 'view.ng.json');
    await expect(row).toHaveAttribute('data-file-type', 'neuroglancer-state');
    await row.dblclick();

    const frame = await documentFrame(page, 'view.ng.json');
    await waitForRender(frame);
    expect((await viewerState(frame)).position).toEqual([50, 50, 50]);
    const tab = documentTab(page, 'view.ng.json');
    // Opening is no edit: the document stays clean while the viewer loads.
    await page.waitForTimeout(1000);
    await expect(tab).not.toHaveClass(/jp-mod-dirty/);

    // Change the view as a user does: the mouse wheel over the slice moves along z.
    const viewer = page.locator(
      '.jp-NeuroglancerStateDocument:visible .jp-NeuroglancerStateView-frame iframe'
    );
    const box = (await viewer.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < 3; i++) {
      await page.mouse.wheel(0, 100);
      await page.waitForTimeout(100);
    }
    await expect
      .poll(async () => (await viewerState(frame)).position[2])
      .not.toBe(50);
    await expect(tab).toHaveClass(/jp-mod-dirty/);
    const moved = (await viewerState(frame)).position;

    // Ctrl+S typed in the viewer saves the document.
    await page.keyboard.press('Control+s');
    await expect(tab).not.toHaveClass(/jp-mod-dirty/);
    const onDisk = JSON.parse(await fileText(page, path));
    expect(onDisk.position).toEqual(moved);
    expect(onDisk.layers[0].name).toBe('points');
    await page.screenshot({
      path: test.info().outputPath('state-document.png')
    });

    // The file changes on disk and is reloaded: the viewer shows it.
    await page.contents.uploadContent(
      JSON.stringify({ ...STATE, position: [5, 6, 7] }, null, 2),
      'text',
      path
    );
    await tab.click();
    await page.evaluate(() =>
      (window as any).jupyterapp.commands.execute('docmanager:reload')
    );
    await expect
      .poll(async () => (await viewerState(frame)).position)
      .toEqual([5, 6, 7]);
    await expect(tab).not.toHaveClass(/jp-mod-dirty/);

    // A change, then closing the tab: JupyterLab asks first.
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, 100);
    await expect(tab).toHaveClass(/jp-mod-dirty/);
    await tab.locator('.lm-TabBar-tabCloseIcon').click();
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText('Save changes in "view.ng.json"');
    await dialog.getByRole('button', { name: 'Discard' }).click();
    await expect(tab).toHaveCount(0);
    // Discarded: the file still holds the reloaded state.
    expect(JSON.parse(await fileText(page, path)).position).toEqual([5, 6, 7]);
  });

  test('a file that is not a state opens with a message, not a blank panel', async ({
    page,
    tmpPath
  }) => {
    await page.contents.uploadContent(
      '{"layers": [',
      'text',
      `${tmpPath}/broken.ng.json`
    );
    await page.contents.uploadContent(
      JSON.stringify({ name: 'package', version: '1.0.0' }),
      'text',
      `${tmpPath}/package.json`
    );
    await page.filebrowser.refresh();

    await listingItem(page, 'broken.ng.json').dblclick();
    const message = page.locator(
      '.jp-NeuroglancerStateDocument:visible .jp-NeuroglancerStateView-message:visible'
    );
    await expect(message).toBeVisible();
    await expect(message).toContainText('Not a Neuroglancer state');
    await expect(message).toContainText('not valid JSON');
    await expect(
      message.getByRole('button', { name: 'Open with the Editor' })
    ).toBeVisible();
    await page.screenshot({ path: test.info().outputPath('broken-state.png') });

    // Fixed in the Editor (the same document), the view follows: a viewer replaces the message.
    await message.getByRole('button', { name: 'Open with the Editor' }).click();
    const editor = page.locator('.jp-FileEditor .cm-content');
    await expect(editor).toBeVisible();
    await editor.click();
    await page.keyboard.press('Control+a');
    await page.keyboard.insertText(JSON.stringify(STATE));
    const fixed = await documentFrame(page, 'broken.ng.json');
    await waitForRender(fixed);
    expect((await viewerState(fixed)).layers[0].name).toBe('points');
    await expect(message).toHaveCount(0);
    // Saved from the Editor: the file holds the fixed text.
    await page.keyboard.press('Control+s');
    await expect
      .poll(() => fileText(page, `${tmpPath}/broken.ng.json`))
      .toBe(JSON.stringify(STATE));

    // Any JSON file can be opened with Neuroglancer ("Open With").
    await listingItem(page, 'package.json').click({ button: 'right' });
    await page.locator('.lm-Menu-item', { hasText: 'Open With' }).hover();
    await page
      .locator('.lm-Menu-itemLabel', { hasText: /^Neuroglancer$/ })
      .click();
    await expect(message).toContainText('none of the keys');
    await expect(message).toContainText('"name", "version"');
  });
});
