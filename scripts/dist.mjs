#!/usr/bin/env node
// `npm run dist [-- electron-builder args]`: the Linux packages (AppImage, deb) from
// build/electron-builder.yml, packaged around the Electron binary npm installed. Where that binary
// is missing (installed with ELECTRON_SKIP_BINARY_DOWNLOAD, or its download site unreachable) it
// stops before building anything and says so: electron-builder would otherwise try to download it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
if (!binary) {
  process.stderr.write(
    'npm run dist: the Electron binary is not installed (node_modules/electron/dist is missing), so the desktop packages cannot be built here.\n' +
      'It is skipped by ELECTRON_SKIP_BINARY_DOWNLOAD=1 and cannot be fetched where its download site is unreachable.\n' +
      'Where it is reachable: `node node_modules/electron/install.js`, then `npm run dist` again. See docs/app.md, "Packaging".\n',
  );
  process.exit(1);
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const step = (command, args) => {
  const { status } = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
};
step(npm, ['run', 'build:node']);
step(npm, ['run', 'build:app']);
const electronVersion = require('electron/package.json').version;
step(process.execPath, [
  require.resolve('electron-builder/cli.js'),
  '--linux',
  '--config',
  'build/electron-builder.yml',
  // The binary npm installed, not a second download of it.
  `-c.electronDist=${dirname(binary)}`,
  `-c.electronVersion=${electronVersion}`,
  ...process.argv.slice(2),
]);
