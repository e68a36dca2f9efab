import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, screenshot, startBrowser } from '../support/e2e-lab.js';

// What the README tells a new user to do, on a fresh clone of this repository's HEAD: `npm ci`
// (whose prepare step builds everything) and `npx failover-lab up`, then the app in Chromium.
// Commit first: uncommitted changes are not in the clone.

const work = mkdtempSync(join(tmpdir(), 'failover-lab-fresh-'));
const clone = join(work, 'clone');
const env = { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' };
let up: ChildProcess | null = null;
let browser: Awaited<ReturnType<typeof startBrowser>> | null = null;

function run(command: string, args: readonly string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}:\n${result.stdout}\n${result.stderr}`);
}

/** `npx failover-lab up` (web mode on a free port) in its own process group, so every process it started can be ended together. */
function startUp(): Promise<string> {
  const child = spawn('npx', ['failover-lab', 'up'], { cwd: clone, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  up = child;
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`failover-lab up printed no URL in 120 s:\n${output}`)), 120_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output += `${line}\n`;
      const url = /^Failover Lab: (http:\/\/\S+)/.exec(line)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    });
    child.once('exit', (code) => reject(new Error(`failover-lab up exited with ${code}:\n${output}`)));
  });
}

async function stopUp(): Promise<void> {
  const child = up;
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Ctrl-C, as the README says: the lab stops its brokers cleanly.
  process.kill(-child.pid, 'SIGINT');
  const stragglers = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 30_000);
  await exited;
  clearTimeout(stragglers);
  // Anything of the group still alive (nothing, when the lab stopped cleanly).
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // The group is gone.
  }
}

describe('a fresh clone, as the README says', () => {
  afterAll(async () => {
    await browser?.close();
    await stopUp();
    rmSync(work, { recursive: true, force: true });
  });

  it('npm ci builds the app and `npx failover-lab up` serves it, with one master in the Cluster view', async () => {
    run('git', ['clone', '--quiet', '--no-hardlinks', ROOT, clone], work);
    // A real `npm ci` with its prepare step; packages come from the local cache when it has them.
    let t0 = Date.now();
    run('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], clone);
    console.log(`npm ci (with prepare) took ${Math.round((Date.now() - t0) / 1000)} s`);
    t0 = Date.now();
    const url = await startUp();
    console.log(`failover-lab up printed its URL after ${Date.now() - t0} ms`);
    browser = await startBrowser();
    const page = browser.page;
    await page.goto(url);
    await page.waitForSelector('nav [data-view="cluster"].active', { timeout: 60_000 });
    await page.waitForFunction(() => document.querySelectorAll('[data-role="master"]').length === 1, null, { timeout: 120_000 });
    expect(await page.locator('#not-built').count()).toBe(0);
    expect(await page.locator('[data-broker]').count()).toBe(3);
    await screenshot(page, 'fresh-clone-cluster');
  });
});
