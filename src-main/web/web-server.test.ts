import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LabService } from '../api/lab-service.js';
import { NodeProcessLauncher } from '../cluster/node-process-launcher.js';
import { startWebServer } from './web-server.js';
import type { WebServer } from './web-server.js';

describe('web mode without a built renderer', () => {
  let web: WebServer | null = null;
  afterEach(async () => {
    await web?.stop();
    web = null;
  });

  it('serves the status page saying it is not the app and how to build the app', async () => {
    const api = new LabService({ launcher: new NodeProcessLauncher(), labDir: mkdtempSync(join(tmpdir(), 'failover-lab-web-')) });
    web = await startWebServer({ api, rendererDir: null });
    expect(web.servesApp).toBe(false);
    const page = await (await fetch(web.url)).text();
    expect(page).toContain('This is not the app');
    expect(page).toContain('npm run build:app');
  });

  it('serves the app where the renderer is built', async () => {
    const api = new LabService({ launcher: new NodeProcessLauncher(), labDir: mkdtempSync(join(tmpdir(), 'failover-lab-web-')) });
    const rendererDir = mkdtempSync(join(tmpdir(), 'failover-lab-renderer-'));
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><div id="app"></div>');
    web = await startWebServer({ api, rendererDir });
    expect(web.servesApp).toBe(true);
    expect(await (await fetch(web.url)).text()).toContain('<div id="app">');
  });
});
