import { afterEach, describe, expect, it } from 'vitest';
import { DISPATCH_MARK_CHUNK } from '../../broker/destination/dispatch-mark.js';
import { Cluster, type StoreKind } from '../support/cluster.js';
import { RawStomp, type RawFrame } from '../support/raw-stomp.js';

let cluster: Cluster | null = null;
afterEach(async () => {
  await cluster?.stop();
  cluster = null;
});

/** Dispatched by the dead master and never acknowledged. */
const UNACKED = 10;
/** Enough that the tail lies beyond the dead master's dispatch mark (one chunk past the first dispatch). */
const TOTAL = DISPATCH_MARK_CHUNK + 500;

async function connect(port: number): Promise<RawStomp> {
  const client = await RawStomp.connect(port);
  client.send('CONNECT', { 'accept-version': '1.2', host: '/', 'heart-beat': '0,0' });
  await client.waitForFrame((f) => f.command === 'CONNECTED');
  return client;
}

async function messages(client: RawStomp, n: number): Promise<RawFrame[]> {
  await client.waitForFrame(() => client.frames.filter((f) => f.command === 'MESSAGE').length >= n, 20_000);
  return client.frames.filter((f) => f.command === 'MESSAGE');
}

describe.each<StoreKind>(['sqlite', 'postgres'])('redelivered after kill -9 of the master on %s', (store) => {
  it('[STOMP-1.2 MESSAGE redelivered] what the dead master dispatched comes back with redelivered:true; what it never could have, without', async () => {
    cluster = await new Cluster({ store, locker: 'database-locker', brokers: 2 }).start();
    const master = await cluster.waitForMaster();

    const producer = await connect(master.port);
    for (let i = 0; i < TOTAL; i++) {
      producer.send('SEND', { destination: '/queue/orders', persistent: 'true', ...(i === TOTAL - 1 ? { receipt: 'sent' } : {}) }, `m-${i}`);
    }
    await producer.waitForFrame((f) => f.command === 'RECEIPT', 30_000);
    producer.close();

    const consumer = await connect(master.port);
    consumer.send('SUBSCRIBE', { destination: '/queue/orders', id: 's', ack: 'client-individual', 'activemq.prefetchSize': String(UNACKED) });
    const dispatched = await messages(consumer, UNACKED);
    expect(dispatched.map((m) => m.body)).toEqual(Array.from({ length: UNACKED }, (_, i) => `m-${i}`));
    expect(dispatched.some((m) => m.headers.redelivered === 'true')).toBe(false);

    master.signal('SIGKILL');
    await master.exit;
    consumer.close();
    const next = await cluster.waitForMaster(20_000, master);

    const again = await connect(next.port);
    again.send('SUBSCRIBE', { destination: '/queue/orders', id: 's', ack: 'auto' });
    const received = await messages(again, TOTAL);
    expect(received.map((m) => m.body)).toEqual(Array.from({ length: TOTAL }, (_, i) => `m-${i}`));
    const flags = received.map((m) => m.headers.redelivered === 'true');
    // Every message the dead master dispatched is flagged.
    expect(flags.slice(0, UNACKED).every(Boolean)).toBe(true);
    // The flag is conservative up to the mark (at most a chunk past the first dispatch), then stops.
    const flagged = flags.filter(Boolean).length;
    expect(flags.slice(0, flagged).every(Boolean)).toBe(true);
    expect(flagged).toBeLessThanOrEqual(UNACKED + DISPATCH_MARK_CHUNK);
    expect(flags.slice(UNACKED + DISPATCH_MARK_CHUNK).some(Boolean)).toBe(false);
    again.close();
  });
});
