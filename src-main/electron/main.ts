import { app, BrowserWindow } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as LabSchemasModule from '../api/lab-schemas.js';
import type * as LabServiceModule from '../api/lab-service.js';
import type { LabService } from '../api/lab-service.js';
import type * as LauncherModule from '../cluster/node-process-launcher.js';
import type { NodeProcessLauncherOptions } from '../cluster/node-process-launcher.js';
import { forwardLabEvents, registerLabIpc } from './lab-ipc.js';
import { applySecurity, createTrustedSender } from './security.js';

/**
 * The desktop shell, composition only: the lab host (LabService, compiled in dist/ like the CLI's,
 * so its helper paths hold), one IPC handler per command, one sandboxed window.
 */
// Packaged, the lab host's compiled files sit unpacked next to the archive (build/electron-builder.yml).
const root = app.isPackaged ? app.getAppPath().replace(/app\.asar$/, 'app.asar.unpacked') : app.getAppPath();
const devUrl = process.env['ELECTRON_RENDERER_URL'];
const isTrusted = createTrustedSender(devUrl);

/**
 * Brokers and the lab's helpers (the SQLite inspector) are plain Node programs: Electron runs them
 * as Node when packaged (better-sqlite3 rebuilt for it); in development the system `node`, whose
 * ABI better-sqlite3 was built for.
 */
function nodeRuntime(): NodeProcessLauncherOptions {
  if (app.isPackaged) return { execPath: process.execPath, env: { ELECTRON_RUN_AS_NODE: '1' } };
  return { execPath: process.env['FAILOVER_LAB_NODE'] ?? 'node' };
}

async function startLab(): Promise<LabService> {
  const load = <T>(file: string) => import(pathToFileURL(join(root, 'dist', file)).href) as Promise<T>;
  const [{ LabService }, { NodeProcessLauncher }, { parsePayload }] = await Promise.all([
    load<typeof LabServiceModule>('src-main/api/lab-service.js'),
    load<typeof LauncherModule>('src-main/cluster/node-process-launcher.js'),
    load<typeof LabSchemasModule>('src-main/api/lab-schemas.js'),
  ]);
  const runtime = nodeRuntime();
  const service = new LabService({ launcher: new NodeProcessLauncher(runtime), labDir: join(app.getPath('userData'), 'labs'), helpers: runtime });
  registerLabIpc({ lab: service, parse: parsePayload, isTrustedSender: isTrusted });
  return service;
}

function createWindow(service: LabService): BrowserWindow {
  const window = new BrowserWindow({
    width: 1360,
    height: 880,
    show: false,
    title: 'Failover Lab',
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    },
  });
  applySecurity(window, isTrusted);
  const unsubscribe = forwardLabEvents(service, window.webContents);
  window.on('closed', unsubscribe);
  window.once('ready-to-show', () => window.show());
  if (devUrl) void window.loadURL(devUrl);
  else void window.loadFile(join(import.meta.dirname, '../renderer/index.html'));
  return window;
}

app.enableSandbox();
void app.whenReady().then(async () => {
  const service = await startLab();
  createWindow(service);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow(service);
  });
  // Brokers are stopped cleanly (locks released) before the app goes.
  let closing = false;
  app.on('before-quit', (event) => {
    if (closing) return;
    closing = true;
    event.preventDefault();
    void service.close().finally(() => app.quit());
  });
});
app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
