import { test } from '@jupyterlab/galata';
import { runCode } from './notebook';
const kstate = () => { const k = (window as any).jupyterapp.shell.currentWidget?.sessionContext?.session?.kernel; return k?.status + ' ' + k?.connectionStatus; };
test(`scratch restart`, async ({ page, tmpPath }) => {
  const nb = { cells: [], metadata: { kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' } }, nbformat: 4, nbformat_minor: 5 };
  await page.contents.uploadContent(JSON.stringify(nb), 'text', `${tmpPath}/r.ipynb`);
  await page.filebrowser.open('r.ipynb');
  await page.waitForFunction(() => (window as any).jupyterapp.shell.currentWidget?.sessionContext?.session?.kernel?.status === 'idle');
  await page.waitForTimeout(4000);
  console.log('LC before', await page.evaluate(kstate));
  await page.evaluate(() => { void (window as any).jupyterapp.commands.execute('notebook:restart-kernel'); });
  await page.locator('.jp-Dialog .jp-mod-accept').click();
  for (let i = 0; i < 6; i++) { await page.waitForTimeout(1000); console.log('LC after', i, await page.evaluate(kstate)); }
});
