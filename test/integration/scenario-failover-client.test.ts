import { afterEach, describe, expect, it } from 'vitest';
import { FailoverClient } from '../../broker/client/index.js';
import type { ClientEvent, Delivery } from '../../broker/client/index.js';
import { freePort } from '../support/broker-process.js';
import { Cluster } from '../support/cluster.js';

let cluster: Cluster | null = null;
const clients: FailoverClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await cluster?.stop();
  cluster = null;
});

function client(uri: string, options: ConstructorParameters<typeof FailoverClient>[1] = {}): { client: FailoverClient; events: ClientEvent[] } {
  const c = new FailoverClient(uri, options);
  const events: ClientEvent[] = [];
  c.on((e) => events.push(e));
  clients.push(c);
  return { client: c, events };
}

function failoverUri(ports: number[], options = 'randomize=false&initialReconnectDelay=10&maxReconnectDelay=200'): string {
  return `failover:(${ports.map((p) => `stomp://127.0.0.1:${p}`).join(',')})?${options}`;
}

/** Sends `count` messages with at most `window` unreceipted; returns the producer-seqs receipted. */
async function stream(producer: FailoverClient, destination: string, count: number, window: number, onSent?: (n: number) => void): Promise<number[]> {
  const receipted: number[] = [];
  const inFlight = new Set<Promise<unknown>>();
  for (let i = 0; i < count; i++) {
    const p = producer.send(destination, `m${i}`).then((r) => receipted.push(r.producerSeq));
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    onSent?.(i + 1);
    if (inFlight.size >= window) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  return receipted;
}

function drain(consumer: FailoverClient, destination: string, expected: number, timeoutMs = 20_000): Promise<Delivery[]> {
  return new Promise((resolve, reject) => {
    const got: Delivery[] = [];
    const timer = setTimeout(() => reject(new Error(`only ${got.length} of ${expected} delivered`)), timeoutMs);
    void consumer.subscribe(destination, (d) => {
      got.push(d);
      d.ack();
      if (got.length >= expected) {
        clearTimeout(timer);
        // Wait a little for anything delivered twice.
        setTimeout(() => resolve(got), 300);
      }
    }, { ack: 'client-individual' });
  });
}

describe('FailoverClient against real brokers', () => {
  it('kill -9 of the master mid-stream: every receipted send is stored exactly once (resends are deduplicated)', async () => {
    cluster = await new Cluster({ store: 'sqlite', locker: 'database-locker', brokers: 2 }).start();
    const master = await cluster.waitForMaster();
    const { client: producer, events } = client(failoverUri(cluster.brokers.map((b) => b.port)));
    await producer.start();
    const receipted = await stream(producer, '/queue/orders', 400, 50, (n) => {
      if (n === 200) master.signal('SIGKILL');
    });
    expect(receipted.sort((a, b) => a - b)).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['connected', 'interrupted', 'resumed']));
    const resumed = events.find((e) => e.type === 'resumed');
    expect(resumed && 'uri' in resumed ? resumed.uri : null).toBe(`stomp://127.0.0.1:${cluster.brokers.find((b) => b !== master)!.port}`);

    const { client: consumer } = client(failoverUri(cluster.brokers.map((b) => b.port)));
    await consumer.start();
    const delivered = await drain(consumer, '/queue/orders', 400);
    const seqs = delivered.map((d) => Number(d.headers.get('producer-seq')));
    expect(new Set(seqs).size).toBe(400);
    expect(seqs).toHaveLength(400);
  });

  it('a consumer across kill -9 of the master loses no receipted message and sees duplicates only as redeliveries of unacknowledged ones', async () => {
    cluster = await new Cluster({ store: 'sqlite', locker: 'database-locker', brokers: 2 }).start();
    const master = await cluster.waitForMaster();
    const uri = failoverUri(cluster.brokers.map((b) => b.port));
    const { client: consumer, events } = client(uri);
    await consumer.start();
    const seen: number[] = [];
    const unflaggedRepeats: number[] = [];
    await consumer.subscribe('/queue/live', (d) => {
      const seq = Number(d.headers.get('producer-seq'));
      if (seen.includes(seq) && d.headers.get('redelivered') !== 'true') unflaggedRepeats.push(seq);
      seen.push(seq);
      d.ack();
    }, { ack: 'client-individual', prefetch: 10 });
    const { client: producer } = client(uri);
    await producer.start();
    const receipted = await stream(producer, '/queue/live', 300, 20, (n) => {
      if (n === 150) master.signal('SIGKILL');
    });
    const deadline = Date.now() + 20_000;
    while (new Set(seen).size < receipted.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(new Set(seen)).toEqual(new Set(receipted));
    // What comes twice was in flight when the master died: unacknowledged (the prefetch window of
    // 10) or acknowledged by the client but not yet committed by the broker (at most another window).
    expect(seen.length - new Set(seen).size).toBeLessThanOrEqual(20);
    // The new master flags every one of them (dispatch mark, docs/stomp.md).
    expect(unflaggedRepeats).toEqual([]);
    expect(events.filter((e) => e.type === 'resumed')).toHaveLength(1);
  });

  it('a durable subscriber resubscribes under the same client-id on the new master and misses nothing', async () => {
    cluster = await new Cluster({ store: 'sqlite', locker: 'database-locker', brokers: 2 }).start();
    const master = await cluster.waitForMaster();
    const uri = failoverUri(cluster.brokers.map((b) => b.port));
    const { client: subscriber } = client(uri, { clientId: 'durable-client' });
    await subscriber.start();
    const seen = new Set<number>();
    await subscriber.subscribe('/topic/prices', (d) => {
      seen.add(Number(d.headers.get('producer-seq')));
      d.ack();
    }, { ack: 'client-individual', durableName: 'prices-sub' });
    const { client: producer } = client(uri);
    await producer.start();
    const receipted = await stream(producer, '/topic/prices', 200, 10, (n) => {
      if (n === 100) master.signal('SIGKILL');
    });
    const deadline = Date.now() + 20_000;
    while (seen.size < receipted.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect([...seen].sort((a, b) => a - b)).toEqual(receipted.sort((a, b) => a - b));
  });

  it('a dead broker first in the list does not make the client flap (AMQ-6248)', async () => {
    cluster = await new Cluster({ store: 'sqlite', locker: 'database-locker', brokers: 1 }).start();
    const master = await cluster.waitForMaster();
    const dead = await freePort();
    const { client: c, events } = client(failoverUri([dead, master.port], 'randomize=false&initialReconnectDelay=10'));
    await c.start();
    await c.send('/queue/steady', 'a');
    await new Promise((r) => setTimeout(r, 1000));
    await c.send('/queue/steady', 'b');
    expect(events.filter((e) => e.type === 'connected')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'connect-failed')).toHaveLength(1);
    expect(c.connectedUri).toBe(`stomp://127.0.0.1:${master.port}`);
  });

  it('gives up after startupMaxReconnectAttempts passes and reports exhausted', async () => {
    const port = await freePort();
    const { client: c, events } = client(failoverUri([port], 'startupMaxReconnectAttempts=2&initialReconnectDelay=5'));
    await expect(c.start()).rejects.toMatchObject({ code: 'EXHAUSTED' });
    expect(events.filter((e) => e.type === 'connect-failed')).toHaveLength(3);
    expect(events.at(-1)).toMatchObject({ type: 'exhausted', attempts: 3 });
  });

  it('fails a send with TIMEOUT when no broker accepts within `timeout` ms', async () => {
    cluster = await new Cluster({ store: 'sqlite', locker: 'database-locker', brokers: 1 }).start();
    const master = await cluster.waitForMaster();
    const { client: c } = client(failoverUri([master.port], 'timeout=300&initialReconnectDelay=10&maxReconnectDelay=50'));
    await c.start();
    master.signal('SIGKILL');
    await master.exit;
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    await expect(c.send('/queue/q', 'x')).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });
});
