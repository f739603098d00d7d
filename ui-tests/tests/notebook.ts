/**
 * Notebook helpers for code that the editor would re-indent if it were typed.
 */
import { IJupyterLabPageFixture } from '@jupyterlab/galata';

/** Put `code` in a new last cell of the current notebook, run it and return its text output. */
export async function runCode(
  page: IJupyterLabPageFixture,
  code: string
): Promise<string> {
  await page.notebook.addCell('code', '');
  const index = (await page.notebook.getCellCount()) - 1;
  await page.evaluate(
    ({ index, code }) => {
      const notebook = (window as any).jupyterapp.shell.currentWidget.content;
      notebook.widgets[index].model.sharedModel.setSource(code);
    },
    { index, code }
  );
  await page.notebook.runCell(index);
  return ((await page.notebook.getCellTextOutput(index)) ?? []).join('');
}
