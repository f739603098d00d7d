/**
 * Benchmark: how long a change made in the kernel (`with viewer.txn()`) takes to show in the
 * state sidebar.
 *
 * Starts JupyterLab (the UI tests' configuration) and Debian's Chromium through Playwright,
 * opens a notebook, creates a viewer in its kernel and opens the state sidebar. The kernel then
 * moves the viewer `--changes` times, `--gap` seconds apart, stamping each change with its clock
 * just before the transaction. The page stamps, with the same machine clock:
 *
 * - when Neuroglancer's viewer in the panel's iframe has the new position (the baseline:
 *   Neuroglancer's own kernel → browser sync, through the proxy), and
 * - when the sidebar shows it (its "Position" field: model, throttle and React render included).
 *
 * A change counts as shown when it or a later one is (a page that lags takes the newest state).
 * It prints the median and 95th percentile of both, and of the sidebar's own share (sidebar
 * minus iframe, change by change). The issue's target: the sidebar within 500 ms.
 *
 *     node benchmarks/sidebar_latency.mjs                 # the offline demo, 100 changes
 *     node benchmarks/sidebar_latency.mjs --state points  # a small annotation-only state
 *     node benchmarks/sidebar_latency.mjs --changes 300 --gap 0.1
 *
 * Needs what the UI tests need: `jlpm install` in ui-tests/ and /usr/bin/chromium.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const UI_TESTS = path.join(HERE, '..', 'ui-tests');
const requireFromUiTests = createRequire(path.join(UI_TESTS, 'package.json'));
const { chromium } = requireFromUiTests('playwright');
const chromiumLaunchOptions = requireFromUiTests('./chromium.js');

const TARGET_MS = 500;
const SIDEBAR_ID = 'jp-neuroglancer-state-sidebar';

/** A state that needs no data server: a few point annotations in an 8 nm space. */
const POINTS_STATE = {
  dimensions: { x: [8e-9, 'm'], y: [8e-9, 'm'], z: [8e-9, 'm'] },
  position: [50, 50, 50],
  layout: 'xy',
  layers: [
    {
      type: 'annotation',
      name: 'points',
      source: 'local://annotations',
      annotations: [{ type: 'point', id: 'a', point: [50, 50, 50] }]
    }
  ]
};

function parseArgs(argv) {
  const options = { changes: 100, gap: 0.2, state: 'demo', port: 0 };
  for (let i = 0; i < argv.length; i++) {
    const [key, inline] = argv[i].replace(/^--/, '').split('=');
    const value = inline ?? argv[++i];
    if (key === 'changes') {
      options.changes = Number(value);
    } else if (key === 'gap') {
      options.gap = Number(value);
    } else if (key === 'state') {
      options.state = value;
    } else if (key === 'port') {
      options.port = Number(value);
    } else {
      throw new Error(
        `Unknown option --${key}. See the comment at the top of this file.`
      );
    }
  }
  if (!['demo', 'points'].includes(options.state)) {
    throw new Error('--state is "demo" or "points".');
  }
  return options;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForLab(url, child, timeoutMs = 120000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`jupyter lab exited with code ${child.exitCode}`);
    }
    try {
      const response = await fetch(url);
      if (response.ok) {
        return;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise(resolve => setTimeout(resolve, 500));
  }
  throw new Error(
    `JupyterLab did not answer at ${url} within ${timeoutMs / 1000} s`
  );
}

function percentile(sorted, p) {
  if (sorted.length === 0) {
    return NaN;
  }
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    max: sorted[sorted.length - 1]
  };
}

/** Runs in the page: a notebook with a viewer in its kernel, the sidebar open and watched. */
async function setUpPage({ state, sidebarId }) {
  const app = window.jupyterapp;
  await app.restored;
  const notebook = await app.commands.execute('notebook:create-new', {
    kernelName: 'python3'
  });
  await notebook.sessionContext.ready;
  const kernel = notebook.sessionContext.session.kernel;
  const code =
    state === 'demo'
      ? 'import jupyterlab_neuroglancer.kernel.commands as _c\n' +
        '_c.open_demo_in_namespace(globals(), base="viewer")'
      : 'import json, jupyterlab_neuroglancer as jln\n' +
        `viewer = jln.show(json.loads(${JSON.stringify(JSON.stringify(state))}), name="viewer")`;
  await kernel.requestExecute({ code, store_history: false }).done;
  app.shell.activateById(sidebarId);

  // Wait for the panel's viewer and for the sidebar to show its position.
  const started = Date.now();
  let frameViewer = null;
  while (Date.now() - started < 120000) {
    const frame = document.querySelector('.jp-NeuroglancerPanel iframe');
    frameViewer = frame?.contentWindow?.viewer;
    const field = document.querySelector(
      `#${sidebarId} input[aria-label="Position along x"]`
    );
    if (frameViewer && field) {
      break;
    }
    await new Promise(resolve => setTimeout(resolve, 200));
  }
  if (!frameViewer) {
    throw new Error('The viewer panel or the sidebar did not appear.');
  }
  const now = () => performance.timeOrigin + performance.now();
  const seen = (window.__latency = { frame: {}, sidebar: {} });
  frameViewer.state.changed.add(() => {
    const x = frameViewer.navigationState.position.value[0];
    const key = String(Math.round(x));
    if (!(key in seen.frame)) {
      seen.frame[key] = now();
    }
  });
  const sidebar = document.getElementById(sidebarId);
  const observer = new MutationObserver(() => {
    const field = sidebar.querySelector('input[aria-label="Position along x"]');
    const key = field?.value;
    if (key && !(key in seen.sidebar)) {
      seen.sidebar[key] = now();
    }
  });
  observer.observe(sidebar, {
    subtree: true,
    childList: true,
    characterData: true,
    attributes: true
  });
  window.__latencyKernel = kernel;
}

/** Runs in the page: the kernel moves the viewer and returns its stamps. */
async function runChanges({ changes, gap }) {
  const connection = window.__latencyKernel;
  const code = [
    'import json as _json, time as _time',
    '_stamps = []',
    `for _i in range(${changes}):`,
    '    _x = 1000 + _i',
    '    _t = _time.time()',
    '    with viewer.txn() as _s:',
    '        _s.position = [_x, 80, 80]',
    '    _stamps.append([_x, _t * 1000])',
    `    _time.sleep(${gap})`,
    '_time.sleep(1.0)'
  ].join('\n');
  const future = connection.requestExecute(
    {
      code,
      store_history: false,
      user_expressions: { stamps: '_json.dumps(_stamps)' }
    },
    true
  );
  const reply = await future.done;
  const expression = reply.content.user_expressions.stamps;
  if (expression.status !== 'ok') {
    throw new Error(`The kernel failed: ${JSON.stringify(expression)}`);
  }
  // The repr of a str of numbers: strip its quotes.
  const stamps = JSON.parse(expression.data['text/plain'].slice(1, -1));
  return { stamps, seen: window.__latency };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const port = options.port || (await freePort());
  const lab = spawn(
    'jupyter',
    [
      'lab',
      '--config',
      'jupyter_server_test_config.py',
      `--ServerApp.port=${port}`,
      '--no-browser'
    ],
    { cwd: UI_TESTS, stdio: ['ignore', 'ignore', 'pipe'] }
  );
  let labLog = '';
  lab.stderr.on('data', chunk => {
    labLog = (labLog + chunk).slice(-4000);
  });
  let browser;
  try {
    const base = `http://localhost:${port}`;
    await waitForLab(`${base}/lab`, lab);
    browser = await chromium.launch(chromiumLaunchOptions);
    const page = await browser.newPage({
      viewport: { width: 1400, height: 900 }
    });
    await page.goto(`${base}/lab`);
    await page.waitForFunction(() => window.jupyterapp !== undefined, null, {
      timeout: 120000
    });
    await page.evaluate(setUpPage, {
      state: options.state === 'demo' ? 'demo' : POINTS_STATE,
      sidebarId: SIDEBAR_ID
    });
    // Let the first render settle before measuring.
    await page.waitForTimeout(3000);
    const started = Date.now();
    const { stamps, seen } = await page.evaluate(runChanges, {
      changes: options.changes,
      gap: options.gap
    });
    const elapsed = (Date.now() - started) / 1000;

    const frame = [];
    const sidebar = [];
    const overhead = [];
    // A change "shows" when it or a later one does: a page that lags takes the latest state,
    // so an intermediate one may never be drawn (Neuroglancer's server sends the newest state;
    // the sidebar reads the state at most every 50 ms). Count those as coalesced.
    const shownBy = times => {
      const result = new Map();
      let earliest = Infinity;
      for (const [x] of [...stamps].reverse()) {
        earliest = Math.min(earliest, times[String(x)] ?? Infinity);
        result.set(x, earliest);
      }
      return result;
    };
    const frameShown = shownBy(seen.frame);
    const sidebarShown = shownBy(seen.sidebar);
    let coalescedByViewer = 0;
    let coalescedBySidebar = 0;
    let neverShown = 0;
    for (const [x, kernelMs] of stamps) {
      const inFrame = frameShown.get(x);
      const inSidebar = sidebarShown.get(x);
      coalescedByViewer += seen.frame[String(x)] === undefined ? 1 : 0;
      coalescedBySidebar +=
        seen.frame[String(x)] !== undefined &&
        seen.sidebar[String(x)] === undefined
          ? 1
          : 0;
      if (!Number.isFinite(inFrame) || !Number.isFinite(inSidebar)) {
        neverShown++;
        continue;
      }
      frame.push(inFrame - kernelMs);
      sidebar.push(inSidebar - kernelMs);
      overhead.push(inSidebar - inFrame);
    }
    const rows = [
      ['kernel → viewer in the iframe (baseline)', summary(frame)],
      ['kernel → state sidebar', summary(sidebar)],
      ['sidebar share (sidebar − iframe)', summary(overhead)]
    ];
    const f = value => value.toFixed(1).padStart(8);
    console.log(
      `\nKernel-to-sidebar latency: ${options.state} state, ${stamps.length} changes ` +
        `${options.gap} s apart (${elapsed.toFixed(0)} s), Chromium + SwiftShader\n`
    );
    console.log(
      '| path                                     | median ms |   p95 ms |   max ms |'
    );
    console.log(
      '| ---------------------------------------- | --------: | -------: | -------: |'
    );
    for (const [label, stats] of rows) {
      console.log(
        `| ${label.padEnd(40)} |  ${f(stats.median)} | ${f(stats.p95)} | ${f(stats.max)} |`
      );
    }
    const p95 = summary(sidebar).p95;
    console.log(
      `\nA change counts as shown when it or a later one shows. Coalesced (a later state shown ` +
        `first): ${coalescedByViewer} by the viewer, ${coalescedBySidebar} more by the sidebar; ` +
        `never shown: ${neverShown} of ${stamps.length}.\n` +
        `Target, kernel to sidebar p95 under ${TARGET_MS} ms: ` +
        `${p95 < TARGET_MS && neverShown === 0 ? 'met' : 'MISSED'}.`
    );
  } catch (error) {
    console.error(error);
    console.error(`\nLast lines of the jupyter lab log:\n${labLog}`);
    process.exitCode = 1;
  } finally {
    await browser?.close();
    lab.kill('SIGTERM');
    await new Promise(resolve => {
      const timer = setTimeout(() => {
        lab.kill('SIGKILL');
        resolve();
      }, 10000);
      lab.on('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

await main();
