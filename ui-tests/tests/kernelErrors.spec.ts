import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';

import { runPaletteCommand } from './fixtures';
import { runCode } from './notebook';
import { viewerFrame, waitForRender } from './viewerFrame';

// A state that renders without network: an empty annotation layer in an 8 nm space.
const STATE_JSON = JSON.stringify({
  dimensions: { x: [8e-9, 'm'], y: [8e-9, 'm'], z: [8e-9, 'm'] },
  position: [10, 10, 10],
  layout: 'xy',
  layers: [{ type: 'annotation', name: 'notes', source: 'local://annotations' }]
});

async function openUrlFromPalette(
  page: IJupyterLabPageFixture,
  url: string
): Promise<void> {
  await runPaletteCommand(page, 'Open Neuroglancer URL…');
  await page.locator('.jp-Dialog input').fill(url);
  await page.locator('.jp-Dialog .jp-mod-accept').click();
}

test.describe('Open URL when the kernel cannot do it', () => {
  test('a kernel without neuroglancer gets the install command for its Python', async ({
    page
  }) => {
    await page.notebook.createNew('no-neuroglancer.ipynb');
    // Make the kernel behave as one whose environment lacks the package: the import system
    // itself raises, exactly as for a missing module.
    const output = await runCode(
      page,
      [
        'import importlib.abc, sys',
        'HIDDEN = ("neuroglancer", "jupyterlab_neuroglancer")',
        'class HideNeuroglancer(importlib.abc.MetaPathFinder):',
        '    def find_spec(self, name, path, target=None):',
        '        if name.split(".")[0] in HIDDEN:',
        '            raise ModuleNotFoundError(f"No module named {name!r}", name=name)',
        'sys.meta_path.insert(0, HideNeuroglancer())',
        'for module in [m for m in sys.modules if m.split(".")[0] in HIDDEN]:',
        '    del sys.modules[module]',
        'print("hidden", sys.executable)'
      ].join('\n')
    );
    expect(output).toContain('hidden');
    const executable = output.trim().split(' ').pop()!;

    await openUrlFromPalette(page, STATE_JSON);
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText(
      'Neuroglancer is not installed in this kernel'
    );
    await expect(dialog).toContainText(
      `${executable} -m pip install jupyterlab_neuroglancer`
    );
    await dialog.locator('.jp-mod-reject').click();
    await expect(page.locator('.jp-NeuroglancerPanel')).toHaveCount(0);
  });

  test('a busy kernel is reported, and the viewer can open without it', async ({
    page
  }) => {
    await page.notebook.createNew('busy.ipynb');
    await page.notebook.setCell(0, 'code', 'import time; time.sleep(60)');
    // Start the cell without waiting for it: the kernel stays busy.
    await page.keyboard.press('Control+Enter');
    await expect(
      page.locator('.jp-Notebook-ExecutionIndicator[data-status="busy"]')
    ).toHaveCount(1);

    await openUrlFromPalette(page, STATE_JSON);
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText('The kernel is busy');
    await dialog.getByRole('button', { name: 'Open without a kernel' }).click();

    const frame = await viewerFrame(page, 'Neuroglancer');
    await waitForRender(frame);
  });
});
