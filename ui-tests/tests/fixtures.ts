/**
 * What several UI test files share: a state that renders offline, and running a palette command.
 */
import { expect, IJupyterLabPageFixture } from '@jupyterlab/galata';

/** A state that needs no network: local point annotations in an 8 nm space. */
export const ANNOTATION_STATE = {
  dimensions: { x: [8e-9, 'm'], y: [8e-9, 'm'], z: [8e-9, 'm'] },
  position: [50, 50, 50],
  crossSectionScale: 1,
  layout: 'xy',
  layers: [
    {
      type: 'annotation',
      name: 'points',
      source: 'local://annotations',
      annotations: [
        { type: 'point', id: 'a', point: [50, 50, 50] },
        { type: 'point', id: 'b', point: [60, 55, 50] }
      ]
    }
  ]
};

/** Run the palette item labelled `label`, as a user does (Ctrl+Shift+C, type, click). */
export async function runPaletteCommand(
  page: IJupyterLabPageFixture,
  label: string
): Promise<void> {
  const palette = page.locator('#modal-command-palette');
  const item = palette
    .locator('.lm-CommandPalette-item', { hasText: label })
    .first();
  // A notebook that is still starting takes the focus back, which closes the palette: retry.
  await expect(async () => {
    if (!(await palette.isVisible())) {
      await page.keyboard.press('Control+Shift+C');
    }
    await palette.locator('input').fill(label, { timeout: 2000 });
    await expect(item).toBeVisible({ timeout: 2000 });
  }).toPass({ timeout: 30000 });
  await item.click();
}
