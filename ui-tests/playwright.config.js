/**
 * Galata in Debian's Chromium: Neuroglancer's WebGL2 renders in software (SwiftShader).
 * See ../../shared/build-notes.md for why each flag is there.
 */
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');
const chromiumLaunchOptions = require('./chromium');

// Another port lets two runs share a machine: JLAB_PORT=8899 jlpm playwright test
const port = Number(process.env.JLAB_PORT || 8888);

module.exports = {
  ...baseConfig,
  timeout: 180000,
  expect: { timeout: 60000 },
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  use: {
    ...baseConfig.use,
    baseURL: `http://localhost:${port}`,
    video: 'off',
    trace: 'off',
    viewport: { width: 1400, height: 900 },
    launchOptions: chromiumLaunchOptions
  },
  webServer: {
    command: `jlpm start --ServerApp.port=${port}`,
    url: `http://localhost:${port}/lab`,
    timeout: 120000,
    reuseExistingServer: !process.env.CI
  }
};
