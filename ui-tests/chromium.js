/**
 * Debian's Chromium, rendering Neuroglancer's WebGL2 in software (SwiftShader), for the UI tests
 * and the sidebar benchmark. See shared/build-notes.md for why each flag is there.
 */
module.exports = {
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
};
