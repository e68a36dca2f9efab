import { afterEach, describe, expect, it } from 'vitest';
import { Cluster, type StoreKind } from '../support/cluster.js';
import { RawStomp } from '../support/raw-stomp.js';
import { stompitConsume } from '../support/stomp-clients.js';
import { sendReceipted } from '../support/stompit-producer.js';

let cluster: Cluster | null = null;
afterEach(async () => {
  await cluster?.stop();
  cluster = null;
});

const DURABLE = { destination: '/topic/prices', id: 'prices', 'activemq.subscriptionName': 'price-watch' };

describe.each<StoreKind>(['sqlite', 'postgres'])('durable topic subscriptions across a failover on %s', (store) => {
  it('[ActiveMQ activemq.subscriptionName] a durable subscriber gets, from the new master after kill -9, every message published while it was away', async () => {
    cluster = await new Cluster({ store, locker: 'database-locker', brokers: 2 }).start();
    const master = await cluster.waitForMaster();

    // Register the durable subscription (ACTIVEMQ_ACKS) and go away.
    const raw = await RawStomp.connect(master.port);
    raw.send('CONNECT', { 'accept-version': '1.2', host: '/', 'client-id': 'watcher' });
    await raw.waitForFrame((f) => f.command === 'CONNECTED');
    raw.send('SUBSCRIBE', { ...DURABLE, ack: 'client-individual', receipt: 'sub' });
    await raw.waitForFrame((f) => f.command === 'RECEIPT' && f.headers['receipt-id'] === 'sub');
    raw.send('DISCONNECT', { receipt: 'bye' });
    await raw.waitForFrame((f) => f.command === 'RECEIPT' && f.headers['receipt-id'] === 'bye');
    raw.close();

    const receipted = await sendReceipted(master.port, '/topic/prices', 100, 'p');
    expect(receipted).toHaveLength(100);
    master.signal('SIGKILL');
    await master.exit;
    const next = await cluster.waitForMaster(20_000, master);

    const consumer = await stompitConsume(next.port, { 'client-id': 'watcher' }, DURABLE);
    const received = await consumer.waitFor(receipted.length);
    expect(received.map((m) => m.body)).toEqual(receipted);
    expect(received.every((m) => m.headers.destination === '/topic/prices' && m.headers.subscription === 'prices')).toBe(true);
    // A message published now, with the subscriber online, arrives too.
    expect(await sendReceipted(next.port, '/topic/prices', 1, 'late')).toEqual(['late-0']);
    expect((await consumer.waitFor(101)).at(-1)?.body).toBe('late-0');
    await consumer.disconnect();
  });
});
