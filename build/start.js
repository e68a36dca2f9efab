#!/usr/bin/env node
// `npm start`: the Electron window where Electron can run, else web mode (`failover-lab up`, which
// prints the URL with its token) in the system browser when there is one. On machines where the
// Electron binary could not be downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD) this is always web mode.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

function electronBinary() {
  try {
    const path = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const electron = process.env.FAILOVER_LAB_WEB ? null : electronBinary();

function run(command, commandArgs, onLine) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: ['inherit', onLine ? 'pipe' : 'inherit', 'inherit'] });
  if (onLine) {
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      process.stdout.write(chunk);
      onLine(chunk);
    });
  }
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (electron && hasDisplay) {
  run(electron, ['.', ...args]);
} else {
  process.stderr.write(electron ? 'no display: starting web mode\n' : 'Electron cannot run here: starting web mode\n');
  let opened = false;
  run(process.execPath, [join(root, 'bin/failover-lab.cjs'), 'up', ...args], (chunk) => {
    const url = /Failover Lab: (http:\/\/\S+)/.exec(chunk)?.[1];
    if (!url || opened || !hasDisplay) return;
    opened = true;
    const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
    spawn(opener, [url], { stdio: 'ignore', detached: true }).on('error', () => undefined).unref();
  });
}
