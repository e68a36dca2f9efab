import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../util/log.js';
import { runPersistenceAdapterContract } from '../persistence-adapter.contract.js';
import { createSqlitePersistenceAdapter } from './sqlite-persistence-adapter.js';

function tempFile(): { file: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'store-sqlite-'));
  return { file: join(dir, 'activemq.db'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

runPersistenceAdapterContract('SQLite', async () => {
  const { file, remove } = tempFile();
  return {
    newAdapter: () => createSqlitePersistenceAdapter({ file, durability: 'normal', createTables: true, logger: silentLogger }),
    setEpoch: async (epoch) => {
      const db = new Database(file);
      db.prepare('UPDATE ACTIVEMQ_LOCK SET EPOCH = ? WHERE ID = 1').run(epoch);
      db.close();
    },
    destroy: async () => remove(),
  };
});

// A child that commits one message per transaction through better-sqlite3 in WAL + NORMAL and
// prints each committed id, forever, until it is killed.
const WRITER = `
const Database = require('better-sqlite3');
const db = new Database(process.argv[1]);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
const insert = db.prepare("INSERT INTO ACTIVEMQ_MSGS (CONTAINER, EXPIRATION, MSG, PRIORITY) VALUES ('queue://K', 0, ?, 4)");
for (;;) {
  const id = insert.run(Buffer.alloc(100, 7)).lastInsertRowid;
  process.stdout.write(id + '\\n');
}
`;

describe('SqlitePersistenceAdapter durability', () => {
  let cleanup: () => void = () => undefined;
  afterEach(() => cleanup());

  it('keeps every commit a writer reported before it was killed with SIGKILL (durability normal)', async () => {
    const { file, remove } = tempFile();
    cleanup = remove;
    const setup = createSqlitePersistenceAdapter({ file, durability: 'normal', createTables: true, logger: silentLogger });
    await setup.start();
    await setup.stop();

    const child = spawn(process.execPath, ['-e', WRITER, file], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
    const reported: number[] = [];
    let pending = '';
    await new Promise<void>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`writer exited ${code}`))));
      child.stdout.on('data', (chunk: Buffer) => {
        const lines = (pending + chunk.toString()).split('\n');
        pending = lines.pop() ?? '';
        reported.push(...lines.map(Number));
        if (reported.length >= 500 && !child.killed) child.kill('SIGKILL');
      });
    });

    const reopened = createSqlitePersistenceAdapter({ file, durability: 'normal', createTables: true, logger: silentLogger });
    await reopened.start();
    const recovered = new Set((await reopened.recover('queue://K', 0, 1_000_000)).map((m) => m.id));
    await reopened.stop();
    expect(reported.length).toBeGreaterThanOrEqual(500);
    expect(reported.filter((id) => !recovered.has(id))).toEqual([]);
  });

  it('sets synchronous from the durability setting and WAL journal mode', async () => {
    const { file, remove } = tempFile();
    cleanup = remove;
    const adapter = createSqlitePersistenceAdapter({ file, durability: 'full', createTables: true, logger: silentLogger });
    await adapter.start();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    await adapter.stop();
  });
});
