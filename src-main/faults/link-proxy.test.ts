import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startPgMemServer, type PgMemServer } from '../store-host/pgmem/index.js';
import { startLinkProxy, type LinkEvent, type LinkProxy } from './link-proxy.js';

let store: PgMemServer;
beforeAll(async () => {
  store = await startPgMemServer();
});
afterAll(async () => {
  await store.stop();
});

afterEach(() => vi.useRealTimers());

/** Yields to I/O until some timer is armed on the fake clock (a chunk reached the proxy and is held). */
async function chunkHeld(): Promise<void> {
  while (vi.getTimerCount() === 0) await new Promise((resolve) => setImmediate(resolve));
}

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

  it('latency holds each direction of a round trip back by the setting', async () => {
    await withProxy(async (proxy, events) => {
      // No query timeout: the proxy's hold timers are then the only timers on the fake clock.
      const client = await clientThrough(proxy, 0);
      await client.query('SELECT 1');
      proxy.setLatency(100);
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      let replied = false;
      const query = client.query('SELECT 1').then(() => (replied = true));
      for (const direction of ['to the store', 'back to the client']) {
        await chunkHeld();
        vi.advanceTimersByTime(99);
        // Still held one ms before the setting: nothing was forwarded yet.
        expect(vi.getTimerCount(), direction).toBeGreaterThan(0);
        expect(replied, direction).toBe(false);
        vi.advanceTimersByTime(1);
      }
      // The reply may come in several chunks, each held the same time: let the rest through.
      while (!replied) {
        await new Promise((resolve) => setImmediate(resolve));
        vi.advanceTimersByTime(100);
      }
      await query;
      expect(events).toEqual([{ type: 'latency', at: expect.any(Number), latencyMs: 100 }]);
      vi.useRealTimers();
      await client.end();
    });
  });
});
