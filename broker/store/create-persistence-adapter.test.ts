import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StoreError } from '../util/errors.js';
import { silentLogger } from '../util/log.js';
import { createPersistenceAdapter } from './create-persistence-adapter.js';
import { PostgresPersistenceAdapter } from './postgres/postgres-persistence-adapter.js';
import { SqlitePersistenceAdapter } from './sqlite/sqlite-persistence-adapter.js';

const opts = { durability: 'normal', createTables: true, logger: silentLogger } as const;

describe('createPersistenceAdapter', () => {
  it('opens an SQLite store on the target file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-create-'));
    try {
      const adapter = await createPersistenceAdapter({ kind: 'sqlite', file: join(dir, 'a.db'), origin: 'default' }, opts);
      expect(adapter).toBeInstanceOf(SqlitePersistenceAdapter);
      await adapter.start();
      expect(await adapter.containers()).toEqual([]);
      await adapter.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('chooses PostgreSQL for a PostgreSQL data source and fails to start with a StoreError when nothing listens', async () => {
    const adapter = await createPersistenceAdapter(
      { kind: 'postgres', host: '127.0.0.1', port: 1, database: 'x', user: 'x', password: 'x', schema: 'public' },
      { ...opts, connectTimeoutMs: 1_000 },
    );
    expect(adapter).toBeInstanceOf(PostgresPersistenceAdapter);
    await expect(adapter.start()).rejects.toBeInstanceOf(StoreError);
    await adapter.stop();
  });
});
