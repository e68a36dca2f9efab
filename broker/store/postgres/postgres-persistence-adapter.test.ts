import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { FencedError } from '../../util/errors.js';
import { silentLogger } from '../../util/log.js';
import { runPersistenceAdapterContract } from '../persistence-adapter.contract.js';
import { createPostgresPersistenceAdapter } from './postgres-persistence-adapter.js';

const url = new URL(process.env['FAILOVER_LAB_PG_URL'] ?? 'postgres://failover_lab:failover_lab@127.0.0.1:5432/failover_lab');
const server = {
  host: url.hostname,
  port: Number(url.port || 5432),
  database: url.pathname.slice(1),
  user: decodeURIComponent(url.username),
  password: decodeURIComponent(url.password),
};

async function withClient<T>(body: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(server);
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}

/** A fresh schema per test, dropped afterwards. */
function freshSchema() {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  return {
    schema,
    newAdapter: () => createPostgresPersistenceAdapter({ ...server, schema, createTables: true, logger: silentLogger }),
    setEpoch: (epoch: number) =>
      withClient(async (c) => {
        await c.query(`UPDATE ${schema}.ACTIVEMQ_LOCK SET EPOCH = $1 WHERE ID = 1`, [epoch]);
      }),
    destroy: () =>
      withClient(async (c) => {
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      }),
  };
}

runPersistenceAdapterContract('PostgreSQL', async () => freshSchema());

describe('PostgresPersistenceAdapter', () => {
  it('starts three adapters creating the same tables at once', async () => {
    const store = freshSchema();
    const adapters = [store.newAdapter(), store.newAdapter(), store.newAdapter()];
    try {
      await Promise.all(adapters.map((a) => a.start()));
      const results = await Promise.all(adapters.map((a, i) => a.commit({ add: [{ container: `queue://${i}`, producerId: null, producerSeq: null, expiration: 0, priority: 4, msg: new Uint8Array([i]) }] })));
      expect(results.map((r) => r.added[0]?.kind)).toEqual(['stored', 'stored', 'stored']);
    } finally {
      await Promise.all(adapters.map((a) => a.stop()));
      await store.destroy();
    }
  });

  it('rejects a fenced commit in the same transaction in which another broker raised the epoch', async () => {
    const store = freshSchema();
    const adapter = store.newAdapter();
    try {
      await adapter.start();
      adapter.setFence({ epoch: 0, assertHeld: () => undefined });
      await adapter.commit({ add: [{ container: 'queue://A', producerId: null, producerSeq: null, expiration: 0, priority: 4, msg: new Uint8Array([1]) }] });
      await store.setEpoch(1);
      await expect(
        adapter.commit({ add: [{ container: 'queue://A', producerId: null, producerSeq: null, expiration: 0, priority: 4, msg: new Uint8Array([2]) }] }),
      ).rejects.toBeInstanceOf(FencedError);
      expect((await adapter.counts()).get('queue://A')).toBe(1);
    } finally {
      await adapter.stop();
      await store.destroy();
    }
  });
});
