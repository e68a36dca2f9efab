import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStoreInspector } from './sqlite-store-inspector.js';

function fixture() {
  const dir = mkdtempSync(join(tmpdir(), 'fl-inspector-'));
  const file = join(dir, 'store.sqlite');
  writeFileSync(file, '');
  // Stands in for the helper: answers every request with the runtime it was started with.
  const helperScript = join(dir, 'probe-helper.mjs');
  writeFileSync(
    helperScript,
    `import { createInterface } from 'node:readline';
createInterface({ input: process.stdin }).on('line', (line) => {
  const { id } = JSON.parse(line);
  process.stdout.write(JSON.stringify({ id, ok: false, error: 'runtime ' + process.execPath + ' ' + process.env.FL_PROBE }) + '\\n');
});`,
  );
  return { file, helperScript };
}

describe('SqliteStoreInspector runtime', () => {
  it('runs its helper with the given execPath and extra environment', async () => {
    const { file, helperScript } = fixture();
    const inspector = new SqliteStoreInspector(file, { helperScript, execPath: process.execPath, env: { FL_PROBE: 'electron-dev' } });
    await expect(inspector.inspect()).rejects.toThrow(`runtime ${process.execPath} electron-dev`);
    await inspector.stop();
  });

  it('says which executable could not start instead of crashing the lab host', async () => {
    const { file, helperScript } = fixture();
    const inspector = new SqliteStoreInspector(file, { helperScript, execPath: '/nonexistent/node' });
    await expect(inspector.inspect()).rejects.toThrow(/could not start \(\/nonexistent\/node\)/);
    await inspector.stop();
  });
});
