/**
 * The state sidebar against a real JupyterLab, kernel and Neuroglancer: it follows the viewer,
 * changes it (and through it the kernel's `viewer.state`), edits its JSON, and exports it.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import { Frame, Locator } from '@playwright/test';

import { ANNOTATION_STATE as STATE, runPaletteCommand } from './fixtures';
import { runCode } from './notebook';
import { viewerFrame, viewerState, waitForRender } from './viewerFrame';

const SIDEBAR = '#jp-neuroglancer-state-sidebar';

/** Open the sidebar from the palette, as a user would. */
async function openSidebar(page: IJupyterLabPageFixture): Promise<Locator> {
  const sidebar = page.locator(SIDEBAR);
  if (!(await sidebar.isVisible())) {
    await runPaletteCommand(page, 'Neuroglancer State Sidebar');
  }
  await expect(sidebar).toBeVisible();
  return sidebar;
}

/** The text of the sidebar's JSON editor (CodeMirror's own view, as the page exposes it). */
function editorText(page: IJupyterLabPageFixture): Promise<string> {
  return page.evaluate(
    selector =>
      (
        document.querySelector(selector) as any
      ).cmView.view.state.doc.toString(),
    `${SIDEBAR} .jp-NeuroglancerSidebar-editor .cm-content`
  );
}

/** Replace the editor's text as typing would (the change goes through the editor). */
async function setEditorText(
  page: IJupyterLabPageFixture,
  text: string
): Promise<void> {
  await page.evaluate(
    ({ selector, text }) => {
      const view = (document.querySelector(selector) as any).cmView.view;
      view.dispatch({
        changes: { from: 0, to: view.state.doc.length, insert: text },
        userEvent: 'input.paste'
      });
    },
    { selector: `${SIDEBAR} .jp-NeuroglancerSidebar-editor .cm-content`, text }
  );
}

function layerRow(sidebar: Locator, name: string): Locator {
  return sidebar.locator(
    `.jp-NeuroglancerSidebar-layer[data-layer-name="${name}"]`
  );
}

/** Run `code` in the notebook until `expected` shows in its output (the kernel syncs itself). */
async function kernelSees(
  page: IJupyterLabPageFixture,
  condition: string,
  label: string
): Promise<string> {
  return runCode(
    page,
    [
      'import time',
      'deadline = time.time() + 15',
      `while not (${condition}) and time.time() < deadline:`,
      '    time.sleep(0.1)',
      `print(${JSON.stringify(label)}, bool(${condition}))`
    ].join('\n')
  );
}

/**
 * Run cell `index` of notebook `name` when it opens a viewer panel: that panel takes the focus,
 * and with it the kernel status galata waits for, so the notebook gets it back.
 */
async function runCellOpeningViewer(
  page: IJupyterLabPageFixture,
  name: string,
  index: number,
  panelLabel: string
): Promise<Frame> {
  const running = page.notebook.runCell(index);
  const frame = await viewerFrame(page, panelLabel);
  await focusNotebook(page, name);
  await running;
  return frame;
}

async function focusNotebook(
  page: IJupyterLabPageFixture,
  name: string
): Promise<void> {
  await page.getByRole('tab', { name, exact: true }).click();
}

/** Give the right sidebar more room (drag the split handle), for readable screenshots. */
async function widenSidebar(page: IJupyterLabPageFixture): Promise<void> {
  const handle = page
    .locator('#jp-main-split-panel > .lm-SplitPanel-handle:not(.lm-mod-hidden)')
    .last();
  const box = (await handle.boundingBox())!;
  // The viewer's iframe would swallow the mouse moves of the drag.
  await page.addStyleTag({ content: 'iframe { pointer-events: none; }' });
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x - 110, box.y + box.height / 2, { steps: 10 });
  await page.mouse.up();
  await page.evaluate(() =>
    document
      .querySelectorAll('style')
      .forEach(
        node =>
          node.textContent?.startsWith('iframe { pointer-events') &&
          node.remove()
      )
  );
}

test.describe('State sidebar', () => {
  test('follows the demo: layers listed, visibility and layout changed in the viewer and the kernel', async ({
    page
  }) => {
    await page.notebook.createNew('demo.ipynb');
    const sidebar = await openSidebar(page);
    await expect(sidebar).toContainText('No Neuroglancer viewer open');

    // The empty sidebar's own button opens the demo, in the notebook's kernel.
    await sidebar.getByRole('button', { name: 'Open the demo' }).click();
    const frame = await viewerFrame(page, 'viewer · demo.ipynb');
    await waitForRender(frame);

    await expect(sidebar.locator('.jp-NeuroglancerSidebar-title')).toHaveText(
      'viewer · demo.ipynb'
    );
    await expect(sidebar.locator('.jp-NeuroglancerSidebar-layer')).toHaveCount(
      2
    );
    const em = layerRow(sidebar, 'em');
    const segmentation = layerRow(sidebar, 'segmentation');
    await expect(em.locator('.jp-NeuroglancerSidebar-layerType')).toHaveText(
      'image'
    );
    await expect(em).toContainText('python://volume/');
    await expect(
      segmentation.locator('.jp-NeuroglancerSidebar-layerType')
    ).toHaveText('segmentation');
    await expect(segmentation).toContainText('6 segments selected');
    await expect(
      sidebar.locator('.jp-NeuroglancerSidebar-layout[aria-checked="true"]')
    ).toHaveText('4panel');
    await expect(
      sidebar.locator('tr[data-dimension="x"] .jp-NeuroglancerSidebar-unit')
    ).toHaveText('× 8 nm = 640 nm');

    // Sidebar → viewer, at once: hide the image layer.
    await em.getByRole('switch').click();
    await expect
      .poll(async () => (await viewerState(frame)).layers[0].visible, {
        timeout: 5000
      })
      .toBe(false);
    expect(
      await frame.evaluate(
        () => (window as any).viewer.layerManager.managedLayers[0].visible
      )
    ).toBe(false);
    await expect(em).toHaveAttribute('data-layer-visible', 'false');

    // Sidebar → viewer: the layout switch.
    await sidebar
      .locator('.jp-NeuroglancerSidebar-layout[data-layout="xz"]')
      .click();
    await expect
      .poll(async () => (await viewerState(frame)).layout, { timeout: 5000 })
      .toBe('xz');

    // ... → the kernel's viewer.state, through Neuroglancer's own sync.
    await focusNotebook(page, 'demo.ipynb');
    expect(
      await kernelSees(
        page,
        'viewer.state.layers["em"].visible is False and viewer.state.layout.type == "xz"',
        'kernel sees hidden em and xz:'
      )
    ).toContain('kernel sees hidden em and xz: True');

    // Kernel → viewer → sidebar.
    await runCode(
      page,
      'with viewer.txn() as s:\n    s.position = [10, 20, 30]\n    s.layers["em"].visible = True'
    );
    await expect(
      sidebar.getByRole('textbox', { name: 'Position along x' })
    ).toHaveValue('10');
    await expect(
      sidebar.getByRole('textbox', { name: 'Position along z' })
    ).toHaveValue('30');
    await expect(em).toHaveAttribute('data-layer-visible', 'true');

    // Editing a position field moves the viewer.
    const y = sidebar.getByRole('textbox', { name: 'Position along y' });
    await y.fill('42');
    await y.press('Enter');
    await expect
      .poll(async () => (await viewerState(frame)).position, { timeout: 5000 })
      .toEqual([10, 42, 30]);

    // Share: the demo's volumes live in the kernel, and the sidebar says so.
    const share = sidebar.locator('.jp-NeuroglancerSidebar-share');
    await expect(
      share.getByRole('textbox', { name: 'Share link' })
    ).toHaveValue(/^https:\/\/neuroglancer-demo\.appspot\.com\/#!%7B/);
    await expect(
      share.locator('.jp-NeuroglancerSidebar-warning')
    ).toContainText('will not see 2 layers ("em", "segmentation")');
  });

  test('a JSON edit applies; invalid JSON and refused states change nothing', async ({
    page
  }) => {
    const sidebar = await openSidebar(page);
    await page.evaluate(
      state =>
        (window as any).jupyterapp.commands.execute('neuroglancer:open-url', {
          url: JSON.stringify(state),
          kernel: 'none'
        }),
      STATE
    );
    const frame = await viewerFrame(page, 'Neuroglancer');
    await waitForRender(frame);
    await expect(layerRow(sidebar, 'points')).toBeVisible();
    await expect.poll(() => editorText(page)).toContain('"name": "points"');

    const apply = sidebar.getByRole('button', { name: 'Apply' });
    const error = sidebar.locator(
      '.jp-NeuroglancerSidebar-json [role="alert"]'
    );
    await expect(apply).toBeDisabled();

    // A real edit: rename the layer, change the layout.
    const original = await editorText(page);
    await setEditorText(
      page,
      original
        .replace('"name": "points"', '"name": "dots"')
        .replace('"layout": "xy"', '"layout": "yz"')
    );
    await expect(sidebar).toContainText('Edited: Apply to change the viewer');
    await apply.click();
    await expect
      .poll(async () => {
        const state = await viewerState(frame);
        return [state.layout, state.layers[0].name];
      })
      .toEqual(['yz', 'dots']);
    await expect(layerRow(sidebar, 'dots')).toBeVisible();
    await expect(error).toBeHidden();
    await expect(sidebar).toContainText('Live: follows the viewer');
    const applied = await viewerState(frame);

    // Typed invalid JSON: a message, and the viewer keeps its state.
    await sidebar.locator('.jp-NeuroglancerSidebar-editor .cm-content').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText('{"layout": "xy", oops}');
    await apply.click();
    await expect(error).toBeVisible();
    await expect(error).toContainText('This is not valid JSON');
    await expect(error).toContainText('Nothing was changed');
    expect(await viewerState(frame)).toEqual(applied);

    // Valid JSON that Neuroglancer refuses part-way (a layer without a name): rolled back.
    await setEditorText(
      page,
      JSON.stringify({
        ...applied,
        layers: [
          ...applied.layers,
          { type: 'annotation', source: 'local://annotations' }
        ]
      })
    );
    await apply.click();
    await expect(error).toContainText('Neuroglancer refused this state');
    await expect(error).toContainText('"layers"');
    expect(await viewerState(frame)).toEqual(applied);

    const badType = {
      ...applied,
      layers: [{ ...applied.layers[0], type: 'imagee' }]
    };
    await setEditorText(page, JSON.stringify(badType));
    // Ctrl+Enter in the editor applies too.
    await sidebar.locator('.jp-NeuroglancerSidebar-editor .cm-content').click();
    await page.keyboard.press('Control+Enter');
    await expect(error).toContainText('has the type "imagee"');
    expect(await viewerState(frame)).toEqual(applied);
    await page.screenshot({ path: 'test-results/sidebar-json-error.png' });

    // Revert shows the viewer's state again.
    await sidebar.getByRole('button', { name: 'Revert' }).click();
    await expect(error).toBeHidden();
    expect(JSON.parse(await editorText(page))).toEqual(applied);

    // Nothing here is served by this machine alone: no warning under the share link.
    await expect(
      sidebar.locator('.jp-NeuroglancerSidebar-warning')
    ).toHaveCount(0);
  });

  test.describe('with a real kernel restart', () => {
    // Galata's kernel tracking answers a restart request itself (201), which leaves the kernel
    // "starting" for ever: leave the kernels API alone here.
    test.use({ kernels: null });

    test('"Insert as code" gives a cell that recreates the same state in a fresh kernel', async ({
      page
    }) => {
      await page.notebook.createNew('copy.ipynb');
      await page.evaluate(
        code => {
          const notebook = (window as any).jupyterapp.shell.currentWidget
            .content;
          notebook.widgets[0].model.sharedModel.setSource(code);
        },
        `import json\nimport jupyterlab_neuroglancer as jln\nsource_viewer = jln.show(json.loads(${JSON.stringify(JSON.stringify(STATE))}), name="source")`
      );
      const frame = await runCellOpeningViewer(
        page,
        'copy.ipynb',
        0,
        'source · copy.ipynb'
      );
      await waitForRender(frame);
      const sidebar = await openSidebar(page);
      await expect(sidebar.locator('.jp-NeuroglancerSidebar-title')).toHaveText(
        'source · copy.ipynb'
      );
      const original = await viewerState(frame);

      await focusNotebook(page, 'copy.ipynb');
      const cellsBefore = await page.notebook.getCellCount();
      await sidebar.getByRole('button', { name: 'Insert as code' }).click();
      await expect
        .poll(() => page.notebook.getCellCount())
        .toBe(cellsBefore + 1);
      const code = await page.evaluate(() => {
        const notebook = (window as any).jupyterapp.shell.currentWidget.content;
        return notebook.activeCell.model.sharedModel.getSource();
      });
      expect(code).toContain('import jupyterlab_neuroglancer as jln');
      expect(code).toContain("viewer = jln.show(json.loads(r'''");

      // A fresh kernel: restart it, so only the cell's own text comes along.
      await page.evaluate(() => {
        void (window as any).jupyterapp.commands.execute(
          'notebook:restart-kernel'
        );
      });
      await page.locator('.jp-Dialog .jp-mod-accept').click();
      await expect(
        page.locator('#jp-main-statusbar', { hasText: 'Idle' })
      ).toBeVisible();
      const inserted = await page.evaluate(() => {
        const notebook = (window as any).jupyterapp.shell.currentWidget.content;
        return notebook.widgets.findIndex((cell: any) =>
          cell.model.sharedModel
            .getSource()
            .includes("jln.show(json.loads(r'''")
        );
      });
      expect(inserted).toBeGreaterThan(0);
      const copyFrame = await runCellOpeningViewer(
        page,
        'copy.ipynb',
        inserted,
        'Neuroglancer · copy.ipynb'
      );
      await waitForRender(copyFrame);
      expect(await viewerState(copyFrame)).toEqual(original);

      await focusNotebook(page, 'copy.ipynb');
      const check = await runCode(
        page,
        [
          'import json',
          `original = json.loads(${JSON.stringify(JSON.stringify(original))})`,
          "print('same state in the fresh kernel:', viewer.state.to_json() == original)",
          "print('source_viewer' in globals())"
        ].join('\n')
      );
      expect(check).toContain('same state in the fresh kernel: True');
      expect(check).toContain('False');
    });
  });

  test('"Save state as…" writes a .ng.json file in the file browser folder', async ({
    page,
    tmpPath
  }) => {
    const sidebar = await openSidebar(page);
    await page.evaluate(
      state =>
        (window as any).jupyterapp.commands.execute('neuroglancer:open-url', {
          url: JSON.stringify(state),
          kernel: 'none'
        }),
      STATE
    );
    const frame = await viewerFrame(page, 'Neuroglancer');
    await waitForRender(frame);
    await sidebar.getByRole('button', { name: 'Save as…' }).click();
    const input = page.locator('.jp-Dialog input');
    await expect(input).toHaveValue('Neuroglancer.ng.json');
    await input.fill('my view');
    await page.locator('.jp-Dialog .jp-mod-accept').click();
    await expect(
      page.locator('.jp-DirListing-item', { hasText: 'my view.ng.json' })
    ).toBeVisible();
    const saved = await page.evaluate(async path => {
      const model = await (
        window as any
      ).jupyterapp.serviceManager.contents.get(path);
      return model.content as string;
    }, `${tmpPath}/my view.ng.json`);
    expect(JSON.parse(saved)).toEqual(await viewerState(frame));
  });

  test('screenshots in the light and the dark theme', async ({ page }) => {
    await page.notebook.createNew('analysis.ipynb');
    await runPaletteCommand(page, 'Open Neuroglancer Demo');
    const frame: Frame = await viewerFrame(page, 'viewer · analysis.ipynb');
    await waitForRender(frame);
    const sidebar = await openSidebar(page);
    await expect(sidebar.locator('.jp-NeuroglancerSidebar-layer')).toHaveCount(
      2
    );
    // Script the viewer from the notebook: the panel and the sidebar follow.
    await focusNotebook(page, 'analysis.ipynb');
    await page.evaluate(code => {
      const notebook = (window as any).jupyterapp.shell.currentWidget.content;
      notebook.widgets[0].model.sharedModel.setSource(code);
    }, 'with viewer.txn() as s:\n    s.position = [64, 96, 80]\nprint(viewer.state.position.tolist())');
    await page.notebook.runCell(0);
    await expect(
      sidebar.getByRole('textbox', { name: 'Position along y' })
    ).toHaveValue('96');
    await page.evaluate(() => (window as any).jupyterapp.shell.collapseLeft());
    // The shell lays itself out again on its next frame: drag the handle where it is then.
    await page.waitForTimeout(500);
    const narrow = (await sidebar.boundingBox())!.width;
    await widenSidebar(page);
    expect((await sidebar.boundingBox())!.width).toBeGreaterThan(narrow + 50);
    // Let the "viewer is the variable…" notification close by itself.
    await expect(page.locator('.jp-toast-message')).toHaveCount(0, {
      timeout: 15000
    });
    await waitForRender(frame);
    await page.screenshot({ path: 'test-results/panel-and-sidebar-light.png' });
    const share = sidebar.locator('.jp-NeuroglancerSidebar-share');
    await share.scrollIntoViewIfNeeded();
    await sidebar.screenshot({ path: 'test-results/sidebar-share-light.png' });

    await page.theme.setDarkTheme();
    await expect(sidebar).toBeVisible();
    await waitForRender(frame);
    await sidebar.screenshot({ path: 'test-results/sidebar-share-dark.png' });
    await sidebar
      .locator('.jp-NeuroglancerSidebar-layers')
      .scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/panel-and-sidebar-dark.png' });
    const colours = await sidebar.evaluate(node => {
      const style = getComputedStyle(node);
      return [style.backgroundColor, style.color];
    });
    // The dark theme's colours: a dark background and light text.
    expect(colours[0]).not.toBe('rgb(255, 255, 255)');
    expect(colours[1]).not.toBe('rgba(0, 0, 0, 0.87)');
  });
});
