// Copies the refnotes server into server/ so the .vsix carries it (one-step install).
// Source: $REFNOTES_BUNDLE_SERVER, else the repository's target/release/refnotes.
// With neither, the .vsix ships without a server and the extension looks on PATH.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const name = process.platform === 'win32' ? 'refnotes.exe' : 'refnotes';
const repoBuild = path.resolve(__dirname, '..', '..', '..', 'target', 'release', name);
const source = process.env.REFNOTES_BUNDLE_SERVER || repoBuild;
const targetDir = path.resolve(__dirname, '..', 'server');
fs.rmSync(targetDir, { recursive: true, force: true });
if (process.env.REFNOTES_BUNDLE_SERVER === '') {
  console.log('bundle-server: REFNOTES_BUNDLE_SERVER is empty, packaging without a server');
} else if (fs.existsSync(source)) {
  fs.mkdirSync(targetDir, { recursive: true });
  fs.copyFileSync(source, path.join(targetDir, name));
  fs.chmodSync(path.join(targetDir, name), 0o755);
  // Release builds carry debug info; the editor needs none of it.
  const stripped = spawnSync('strip', [path.join(targetDir, name)]);
  if (stripped.status !== 0) {
    console.log('bundle-server: strip unavailable, bundling the binary as built');
  }
  console.log(`bundle-server: bundled ${source} as server/${name}`);
} else {
  console.log(`bundle-server: ${source} not found (run cargo build --release), packaging without a server`);
}
