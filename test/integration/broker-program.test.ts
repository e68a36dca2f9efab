import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir, writeFile } from '../support/broker-process.js';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../../bin/failover-lab.cjs', import.meta.url));
const CJS = new URL('../../dist/broker/util/cjs.js', import.meta.url).href;

/** Runs `code` in a fresh Node (the built dist/, as brokers run) and parses what it prints. */
async function inFreshNode(code: string): Promise<unknown> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', code], { timeout: 20_000 });
  return JSON.parse(stdout);
}

describe('the broker program', () => {
  it('runs as `failover-lab broker` straight from the bundle: a broken config still exits 2 with a position', async () => {
    const dir = tempDir('bin-broker');
    const file = writeFile(dir, 'activemq.xml', '<beans><broker brokerName="b"></beans>');
    const error = await run(process.execPath, [CLI, 'broker', '--config', file], { cwd: dir, timeout: 20_000 }).catch((e: unknown) => e);
    const { code, stderr } = error as { code: number; stderr: string };
    expect(code).toBe(2);
    expect(stderr).toMatch(/activemq\.xml:1:\d+ error/);
  });

  it("loads pg without Node's fetch stack (pg's Cloudflare probe would pull in undici, http2, tls, zlib)", async () => {
    const loaded = (await inFreshNode(
      `const { loadPg } = await import(${JSON.stringify(CJS)});
       const pg = loadPg();
       console.log(JSON.stringify({ client: typeof pg.Client, heavy: process.moduleLoadList.filter((m) => /undici|http2|_tls_wrap|zlib|worker_threads/.test(m)) }));`,
    )) as { client: string; heavy: string[] };
    expect(loaded.client).toBe('function');
    expect(loaded.heavy).toEqual([]);
  });

  it('opens SQLite through the addon path, without the bindings package probing for it', async () => {
    const dir = tempDir('addon');
    const opened = (await inFreshNode(
      `import { createRequire } from 'node:module';
       const { openSqlite } = await import(${JSON.stringify(CJS)});
       const db = openSqlite(${JSON.stringify(`${dir}/x.sqlite`)});
       const one = db.prepare('SELECT 1 AS one').get().one;
       db.close();
       const cache = Object.keys(createRequire(${JSON.stringify(CJS)}).cache);
       console.log(JSON.stringify({ one, bindings: cache.filter((f) => f.includes('/bindings/')) }));`,
    )) as { one: number; bindings: string[] };
    expect(opened).toEqual({ one: 1, bindings: [] });
  });
});
