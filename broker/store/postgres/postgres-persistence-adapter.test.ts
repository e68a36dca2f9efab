import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { FencedError, StoreError } from '../../util/errors.js';
import { silentLogger } from '../../util/log.js';
import { runPersistenceAdapterContract } from '../persistence-adapter.contract.js';
import type { NewMessage } from '../persistence-adapter.js';
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

const pgWarnings: string[] = [];
process.on('warning', (warning) => {
  if (warning.message.includes('already executing a query')) pgWarnings.push(warning.message);
});

runPersistenceAdapterContract('PostgreSQL', async () => freshSchema());

function message(container: string, overrides: Partial<NewMessage> = {}): NewMessage {
  return { container, producerId: null, producerSeq: null, expiration: 0, priority: 4, msg: new Uint8Array([1, 2, 3]), ...overrides };
}

/** Runs the body with a started adapter on a fresh schema, and cleans both up. */
async function withAdapter(body: (adapter: ReturnType<typeof createPostgresPersistenceAdapter>, store: ReturnType<typeof freshSchema>) => Promise<void>) {
  const store = freshSchema();
  const adapter = store.newAdapter();
  try {
    await adapter.start();
    await body(adapter, store);
  } finally {
    await adapter.stop();
    await store.destroy();
  }
}

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

  it('stores hostile header values and container names verbatim, as data, never as SQL', async () => {
    await withAdapter(async (adapter) => {
      const hostile = [
        "queue://x'); DROP TABLE ACTIVEMQ_MSGS; --",
        "queue://back\\slash\\' OR '1'='1",
        'queue://$$dollar$$ "quoted" ; -- /* comment',
        'queue://ünïcödé 🚀 \u2028',
      ];
      const bodies = [new Uint8Array([0, 39, 92, 255]), new Uint8Array(0), new TextEncoder().encode("\\x41'::bytea"), new Uint8Array([10])];
      const result = await adapter.commit({
        add: hostile.map((container, i) => message(container, { producerId: `${container}#p`, producerSeq: i + 1, msg: bodies[i] as Uint8Array })),
      });
      expect(result.added.map((a) => a.kind)).toEqual(['stored', 'stored', 'stored', 'stored']);
      expect(await adapter.containers()).toEqual([...hostile].sort());
      for (const [i, container] of hostile.entries()) {
        const [stored] = await adapter.recover(container, 0, 10);
        expect(stored?.producerId).toBe(`${container}#p`);
        expect([...(stored?.msg ?? [])]).toEqual([...(bodies[i] as Uint8Array)]);
      }
    });
  });

  it('rejects a NUL character or a non-integer number in one batch and spares the rest of the group', async () => {
    await withAdapter(async (adapter) => {
      const settled = await Promise.allSettled([
        adapter.commit({ add: [message('queue://A')] }),
        adapter.commit({ add: [message('queue://nul\u0000; DELETE FROM ACTIVEMQ_MSGS')] }),
        adapter.commit({ add: [message('queue://A', { producerId: 'ID:f', producerSeq: 1.5 })] }),
        adapter.commit({ add: [message('queue://A', { expiration: Number.NaN })] }),
      ]);
      expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'rejected']);
      for (const s of settled.slice(1)) expect(s.status === 'rejected' && s.reason).toBeInstanceOf(StoreError);
      expect((await adapter.counts()).get('queue://A')).toBe(1);
    });
  });

  it('fences a commit that waited behind a new master raising the epoch', async () => {
    await withAdapter(async (adapter, store) => {
      adapter.setFence({ epoch: 0, assertHeld: () => undefined });
      await withClient(async (other) => {
        await other.query(`BEGIN; UPDATE ${store.schema}.ACTIVEMQ_LOCK SET EPOCH = EPOCH + 1 WHERE ID = 1`);
        const commit = adapter.commit({ add: [message('queue://A')] });
        const outcome = commit.then(() => 'committed', (error: unknown) => error);
        // The commit must still be waiting for row 1 while the bump is uncommitted.
        expect(await Promise.race([outcome, new Promise((resolve) => setTimeout(() => resolve('waiting'), 200))])).toBe('waiting');
        await other.query('COMMIT');
        expect(await outcome).toBeInstanceOf(FencedError);
      });
      expect(await adapter.containers()).toEqual([]);
    });
  });

  it('stops as fenced when ACTIVEMQ_LOCK row 1 is gone, since no epoch can be checked', async () => {
    await withAdapter(async (adapter, store) => {
      await withClient((c) => c.query(`DELETE FROM ${store.schema}.ACTIVEMQ_LOCK WHERE ID = 1`));
      adapter.setFence({ epoch: 0, assertHeld: () => undefined });
      await expect(adapter.commit({ add: [message('queue://A')] })).rejects.toBeInstanceOf(FencedError);
    });
  });

  it('re-reads the producer audit when a new fence is set, since another master may have advanced it', async () => {
    await withAdapter(async (adapter, store) => {
      adapter.setFence({ epoch: 0, assertHeld: () => undefined });
      await adapter.commit({ add: [message('queue://A', { producerId: 'ID:m', producerSeq: 1 })] });
      await withClient((c) => c.query(`UPDATE ${store.schema}.ACTIVEMQ_PRODUCER_AUDIT SET LAST_SEQ = 7 WHERE PRODUCER_ID = 'ID:m'`));
      adapter.setFence({ epoch: 0, assertHeld: () => undefined });
      const r = await adapter.commit({ add: [7, 8].map((seq) => message('queue://A', { producerId: 'ID:m', producerSeq: seq })) });
      expect(r.added.map((a) => a.kind)).toEqual(['duplicate', 'stored']);
    });
  });

  // Last in the file: pg warns once per process, so this collects over every test above.
  it('uses each pooled connection for one query at a time (no pg "already executing a query" warning)', async () => {
    await withAdapter(async (adapter) => {
      await Promise.all([adapter.counts(), adapter.containers(), adapter.commit({ add: [message('queue://A')] }), adapter.subscriptions()]);
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(pgWarnings).toEqual([]);
  });
});
