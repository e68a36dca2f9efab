import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPgMemServer, type PgMemServer } from '../store-host/pgmem/index.js';
import { startLinkProxy, type LinkEvent, type LinkProxy } from './link-proxy.js';

let store: PgMemServer;
beforeAll(async () => {
  store = await startPgMemServer();
});
afterAll(async () => {
  await store.stop();
});

async function withProxy(body: (proxy: LinkProxy, events: LinkEvent[]) => Promise<void>): Promise<void> {
  const proxy = await startLinkProxy({ targetHost: store.host, targetPort: store.port });
  const events: LinkEvent[] = [];
  proxy.events.on('event', (e) => events.push(e));
  try {
    await body(proxy, events);
  } finally {
    await proxy.stop();
  }
}

async function clientThrough(proxy: LinkProxy, queryTimeoutMs = 2000): Promise<pg.Client> {
  const client = new pg.Client({ host: '127.0.0.1', port: proxy.port, user: 'lab', database: 'lab', query_timeout: queryTimeoutMs, connectionTimeoutMillis: 1000 });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

describe('link proxy', () => {
  it('forwards a real pg client to the store', async () => {
    await withProxy(async (proxy) => {
      const client = await clientThrough(proxy);
      expect((await client.query('SELECT $1::text AS echo', ['through'])).rows).toEqual([{ echo: 'through' }]);
      expect(proxy.connections()).toBe(1);
      await client.end();
    });
  });

  it('reset: a query fails at once and new connections are refused until heal', async () => {
    await withProxy(async (proxy, events) => {
      const client = await clientThrough(proxy);
      proxy.cut('reset');
      // The client has no query timeout: only the reset can end this query (else the test times out).
      await expect(client.query('SELECT 1')).rejects.toThrow();
      await expect(clientThrough(proxy)).rejects.toThrow();
      proxy.heal();
      const again = await clientThrough(proxy);
      expect((await again.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      await again.end();
      expect(events.map((e) => e.type)).toEqual(['cut', 'healed']);
      expect(events[0]).toMatchObject({ mode: 'reset', connections: 1 });
    });
  });

  it('blackhole: a query hangs until the client times out; heal drops the dead connection and forwards new ones', async () => {
    await withProxy(async (proxy, events) => {
      const client = await clientThrough(proxy, 300);
      let ended = false;
      client.on('end', () => (ended = true));
      proxy.cut('blackhole');
      expect(proxy.state()).toEqual({ kind: 'cut', mode: 'blackhole', latencyMs: 0 });
      // Ended by the client's own read timeout, not by the proxy: the link stayed silent.
      await expect(client.query('SELECT 1')).rejects.toThrow('Query read timeout');
      expect(ended).toBe(false);
      const droppedOnHeal = new Promise((resolve) => client.once('end', resolve));
      proxy.heal();
      await droppedOnHeal;
      expect(ended).toBe(true);
      const fresh = await clientThrough(proxy);
      expect((await fresh.query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
      await fresh.end();
      expect(events.at(-1)).toMatchObject({ type: 'healed', dropped: 1 });
    });
  });

  it('latency delays each round trip by about twice the setting', async () => {
    await withProxy(async (proxy, events) => {
      const client = await clientThrough(proxy);
      await client.query('SELECT 1');
      proxy.setLatency(100);
      const started = performance.now();
      await client.query('SELECT 1');
      // A lower bound only: the proxy holds each direction back by the setting, so a round trip
      // cannot come back sooner; how much later depends on the machine, so no upper bound.
      expect(performance.now() - started).toBeGreaterThanOrEqual(195);
      expect(events).toEqual([{ type: 'latency', at: expect.any(Number), latencyMs: 100 }]);
      await client.end();
    });
  });
});
