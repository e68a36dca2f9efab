import { afterEach, describe, expect, it } from 'vitest';
import type { PolicyEntryConfig } from '../config/destination-policy.js';
import { DISPATCH_MARK_CHUNK, dispatchMarkRow } from '../destination/dispatch-mark.js';
import { MemoryPersistenceAdapter } from '../store/memory/memory-persistence-adapter.js';
import type { StoredMessage } from '../store/persistence-adapter.js';
import { RawClient, startTestBroker, type TestBroker } from './test-client.fixture.js';

const PAGE = 10;
const brokers: TestBroker[] = [];
const clients: RawClient[] = [];

function pageOf(size: number, extra: Partial<PolicyEntryConfig> = {}): PolicyEntryConfig[] {
  return [{ destinationKind: 'queue', pattern: '>', queuePrefetch: null, topicPrefetch: null, maxPageSize: size, prioritizedMessages: false, subscriptionRecovery: { kind: 'none' }, processNonPersistent: false, individualDeadLetter: null, ...extra }];
}

/** The real memory store, recording every page read (container, limit, rows returned). */
class RecordingStore extends MemoryPersistenceAdapter {
  readonly reads: Array<{ container: string; limit: number; rows: number }> = [];
  override async recover(container: string, afterId: number, limit: number): Promise<StoredMessage[]> {
    const rows = await super.recover(container, afterId, limit);
    this.reads.push({ container, limit, rows: rows.length });
    return rows;
  }
}

async function start(store: RecordingStore, extra: Partial<PolicyEntryConfig> = {}): Promise<TestBroker> {
  const broker = await startTestBroker({ store, destinationPolicy: pageOf(PAGE, extra) });
  brokers.push(broker);
  return broker;
}

async function open(broker: TestBroker): Promise<RawClient> {
  const client = await RawClient.open(broker, '1.2');
  clients.push(client);
  return client;
}

/** Pipelined persistent SENDs; resolves after the last one's RECEIPT (so all are stored). */
async function sendAll(client: RawClient, destination: string, bodies: string[], extra: Record<string, string> = {}): Promise<void> {
  bodies.forEach((body, i) => {
    const headers: Record<string, string> = { destination, persistent: 'true', ...extra };
    if (i === bodies.length - 1) headers.receipt = 'sent';
    client.send('SEND', headers, body);
  });
  await client.next('RECEIPT');
}

function numbered(prefix: string, from: number, to: number): string[] {
  return Array.from({ length: to - from }, (_, i) => `${prefix}${from + i}`);
}

/** Receives `n` MESSAGEs, ACKing each (client-individual) unless `ack` is false. */
async function receive(client: RawClient, n: number, ack = true): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const m = await client.next('MESSAGE');
    out.push(m.body.toString());
    if (ack) client.send('ACK', { id: m.headers.get('ack') ?? '' });
  }
  return out;
}

async function nothingMore(client: RawClient): Promise<boolean> {
  return (await client.next('MESSAGE', 150).catch(() => null)) === null;
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const b of brokers.splice(0)) await b.close();
});

describe('paging persistent queue messages (policyEntry maxPageSize)', () => {
  it('a backlog ten times the page is delivered in order, exactly once, reading the store one page at a time', async () => {
    const store = new RecordingStore();
    const broker = await start(store);
    const producer = await open(broker);
    await sendAll(producer, '/queue/big', numbered('m', 0, 100));
    expect(broker.broker.stats().destinations.find((d) => d.name === 'queue://big')?.pending).toBe(100);
    expect(store.reads).toEqual([]);
    const consumer = await open(broker);
    consumer.send('SUBSCRIBE', { destination: '/queue/big', id: 's', ack: 'client-individual' });
    expect(await receive(consumer, 100)).toEqual(numbered('m', 0, 100));
    expect(await nothingMore(consumer)).toBe(true);
    expect(store.reads.every((r) => r.limit <= PAGE)).toBe(true);
    expect(store.reads.reduce((n, r) => n + r.rows, 0)).toBe(100 - PAGE);
  });

  it('across a consumer restart: unacknowledged messages come back first, then the paged-out rest, none twice', async () => {
    const broker = await start(new RecordingStore());
    const producer = await open(broker);
    await sendAll(producer, '/queue/restart', numbered('m', 0, 50));
    const first = await open(broker);
    first.send('SUBSCRIBE', { destination: '/queue/restart', id: 's', ack: 'client-individual', 'activemq.prefetchSize': '5' });
    const acked = await receive(first, 3);
    const unacked = await receive(first, 2, false);
    first.send('DISCONNECT', { receipt: 'bye' });
    await first.next('RECEIPT');
    const second = await open(broker);
    second.send('SUBSCRIBE', { destination: '/queue/restart', id: 's', ack: 'client-individual' });
    const rest = await receive(second, 47);
    expect(acked).toEqual(['m0', 'm1', 'm2']);
    expect(rest.slice(0, 2)).toEqual(unacked);
    expect(rest.slice(2)).toEqual(numbered('m', 5, 50));
    expect(await nothingMore(second)).toBe(true);
  });

  it('across recovery by a new master: only the first page is read at recovery, then everything unacknowledged in order', async () => {
    const store = new RecordingStore();
    const first = await start(store);
    const producer = await open(first);
    await sendAll(producer, '/queue/failover', numbered('m', 0, 60));
    const consumer = await open(first);
    consumer.send('SUBSCRIBE', { destination: '/queue/failover', id: 's', ack: 'client-individual' });
    expect(await receive(consumer, 15)).toEqual(numbered('m', 0, 15));
    consumer.send('DISCONNECT', { receipt: 'bye' });
    await consumer.next('RECEIPT');
    await first.close();
    brokers.splice(brokers.indexOf(first), 1);

    const second = await start(store);
    store.reads.length = 0;
    await second.broker.recover();
    expect(store.reads).toEqual([{ container: 'queue://failover', limit: PAGE, rows: PAGE }]);
    expect(second.broker.stats().destinations.find((d) => d.name === 'queue://failover')?.pending).toBe(45);
    const next = await open(second);
    next.send('SUBSCRIBE', { destination: '/queue/failover', id: 's', ack: 'client-individual' });
    expect(await receive(next, 45)).toEqual(numbered('m', 15, 60));
    expect(await nothingMore(next)).toBe(true);
  });

  it('messages sent while the tail is paged out keep each producer’s order, and none is lost or doubled', async () => {
    const broker = await start(new RecordingStore());
    const [a, b, consumer] = [await open(broker), await open(broker), await open(broker)];
    await sendAll(a, '/queue/live', numbered('a', 0, 30));
    consumer.send('SUBSCRIBE', { destination: '/queue/live', id: 's', ack: 'client-individual', 'activemq.prefetchSize': '3' });
    const receiving = receive(consumer, 30 + 60 + 60);
    await Promise.all([sendAll(a, '/queue/live', numbered('a', 30, 90)), sendAll(b, '/queue/live', numbered('b', 0, 60))]);
    const got = await receiving;
    expect(got.filter((m) => m.startsWith('a'))).toEqual(numbered('a', 0, 90));
    expect(got.filter((m) => m.startsWith('b'))).toEqual(numbered('b', 0, 60));
    expect(await nothingMore(consumer)).toBe(true);
  });

  it('a page read that failed is retried when the next message arrives', async () => {
    const store = new RecordingStore();
    // The dispatch mark already covers these ids: dispatch from memory needs no store write here.
    await store.addSubscription(dispatchMarkRow('queue://retry', DISPATCH_MARK_CHUNK));
    const broker = await start(store);
    await broker.broker.recover();
    const producer = await open(broker);
    await sendAll(producer, '/queue/retry', numbered('m', 0, 30));
    store.simulateFailure(true);
    const consumer = await open(broker);
    consumer.send('SUBSCRIBE', { destination: '/queue/retry', id: 's', ack: 'client-individual' });
    const first = await receive(consumer, PAGE, false);
    expect(await nothingMore(consumer)).toBe(true);
    store.simulateFailure(false);
    await sendAll(producer, '/queue/retry', ['m30']);
    expect([...first, ...(await receive(consumer, 21, false))]).toEqual(numbered('m', 0, 31));
  });

  it('non-persistent messages stay in memory beside a paged-out persistent tail and are delivered too', async () => {
    const broker = await start(new RecordingStore());
    const producer = await open(broker);
    await sendAll(producer, '/queue/mixed', numbered('p', 0, 25));
    await sendAll(producer, '/queue/mixed', numbered('n', 0, 5), { persistent: 'false' });
    const consumer = await open(broker);
    consumer.send('SUBSCRIBE', { destination: '/queue/mixed', id: 's', ack: 'client-individual' });
    const got = await receive(consumer, 30);
    expect(got.filter((m) => m.startsWith('p'))).toEqual(numbered('p', 0, 25));
    expect(got.filter((m) => m.startsWith('n'))).toEqual(numbered('n', 0, 5));
  });

  it('[STOMP browser] a browser sees the paged-out tail too, and browsing consumes nothing', async () => {
    const broker = await start(new RecordingStore());
    const producer = await open(broker);
    await sendAll(producer, '/queue/browse', numbered('m', 0, 35));
    const browser = await open(broker);
    browser.send('SUBSCRIBE', { destination: '/queue/browse', id: 'b', browser: 'true' });
    const seen: string[] = [];
    for (;;) {
      const m = await browser.next('MESSAGE');
      if (m.headers.get('browser') === 'end') break;
      seen.push(m.body.toString());
    }
    expect(seen).toEqual(numbered('m', 0, 35));
    const consumer = await open(broker);
    consumer.send('SUBSCRIBE', { destination: '/queue/browse', id: 's', ack: 'client-individual' });
    expect(await receive(consumer, 35)).toEqual(numbered('m', 0, 35));
  });

  it('selector consumers share a paged backlog: each gets what it selects, in order, exactly once', async () => {
    const broker = await start(new RecordingStore());
    const producer = await open(broker);
    const colours = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 'red' : 'blue'));
    for (const [i, colour] of colours.entries()) producer.send('SEND', { destination: '/queue/sel', persistent: 'true', colour, ...(i === 39 ? { receipt: 'sent' } : {}) }, `${colour}${i}`);
    await producer.next('RECEIPT');
    const [red, blue] = [await open(broker), await open(broker)];
    red.send('SUBSCRIBE', { destination: '/queue/sel', id: 'r', ack: 'client-individual', selector: "colour = 'red'" });
    blue.send('SUBSCRIBE', { destination: '/queue/sel', id: 'b', ack: 'client-individual', selector: "colour = 'blue'" });
    const [reds, blues] = await Promise.all([receive(red, 20), receive(blue, 20)]);
    expect(reds).toEqual(colours.flatMap((c, i) => (c === 'red' ? [`red${i}`] : [])));
    expect(blues).toEqual(colours.flatMap((c, i) => (c === 'blue' ? [`blue${i}`] : [])));
  });

  it('prioritizedMessages: within the page in memory higher priority goes first', async () => {
    const broker = await start(new RecordingStore(), { prioritizedMessages: true });
    const producer = await open(broker);
    await sendAll(producer, '/queue/prio', ['low0', 'low1'], { priority: '1' });
    await sendAll(producer, '/queue/prio', ['high0'], { priority: '9' });
    await sendAll(producer, '/queue/prio', numbered('tail', 0, 20), { priority: '4' });
    const consumer = await open(broker);
    consumer.send('SUBSCRIBE', { destination: '/queue/prio', id: 's', ack: 'client-individual' });
    const got = await receive(consumer, 23);
    expect(got[0]).toBe('high0');
    expect(new Set(got).size).toBe(23);
  });
});
