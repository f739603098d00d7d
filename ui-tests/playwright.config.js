/**
 * Galata in Debian's Chromium: Neuroglancer's WebGL2 renders in software (SwiftShader).
 * See ../../shared/build-notes.md for why each flag is there.
 */
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');

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
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--use-angle=swiftshader',
        '--enable-unsafe-swiftshader',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync'
      ]
    }
  },
  webServer: {
    command: `jlpm start --ServerApp.port=${port}`,
    url: `http://localhost:${port}/lab`,
    timeout: 120000,
    reuseExistingServer: !process.env.CI
  }
};
