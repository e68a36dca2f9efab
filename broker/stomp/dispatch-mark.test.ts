import { afterEach, describe, expect, it } from 'vitest';
import type { PolicyEntryConfig } from '../config/destination-policy.js';
import { DISPATCH_MARK_CHUNK, dispatchMarkRow, isDispatchMarkRow } from '../destination/dispatch-mark.js';
import { MemoryPersistenceAdapter } from '../store/memory/memory-persistence-adapter.js';
import type { BatchResult, DurableSubscription, StoreBatch } from '../store/persistence-adapter.js';
import { RawClient, startTestBroker, type TestBroker } from './test-client.fixture.js';

const brokers: TestBroker[] = [];
const clients: RawClient[] = [];

/** The real memory store; writes of a dispatch mark wait for `release` while `holding` is set. */
class MarkGateStore extends MemoryPersistenceAdapter {
  holding = false;
  markWrites = 0;
  private waiting: Array<() => void> = [];

  release(): void {
    this.holding = false;
    for (const go of this.waiting.splice(0)) go();
  }

  async storedMark(container: string): Promise<number | null> {
    const row = (await this.subscriptions()).find((s) => s.container === container && isDispatchMarkRow(s));
    return row?.lastAckedId ?? null;
  }

  private async gate(): Promise<void> {
    this.markWrites++;
    if (this.holding) await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  override async addSubscription(sub: DurableSubscription): Promise<void> {
    if (isDispatchMarkRow(sub)) await this.gate();
    return super.addSubscription(sub);
  }

  override async commit(batch: StoreBatch): Promise<BatchResult> {
    if (batch.durableAcks?.some(isDispatchMarkRow)) await this.gate();
    return super.commit(batch);
  }
}

function pageOf(size: number): PolicyEntryConfig[] {
  return [{ destinationKind: 'queue', pattern: '>', queuePrefetch: null, topicPrefetch: null, maxPageSize: size, prioritizedMessages: false, subscriptionRecovery: { kind: 'none' }, processNonPersistent: false, individualDeadLetter: null }];
}

async function start(store: MemoryPersistenceAdapter, pageSize = 200): Promise<TestBroker> {
  const broker = await startTestBroker({ store, destinationPolicy: pageOf(pageSize) });
  brokers.push(broker);
  return broker;
}

async function open(broker: TestBroker): Promise<RawClient> {
  const client = await RawClient.open(broker, '1.2');
  clients.push(client);
  return client;
}

async function sendAll(client: RawClient, destination: string, bodies: string[]): Promise<void> {
  bodies.forEach((body, i) => client.send('SEND', { destination, persistent: 'true', ...(i === bodies.length - 1 ? { receipt: 'sent' } : {}) }, body));
  await client.next('RECEIPT');
}

/** Messages stored through an earlier master (nobody consumes them there). */
async function storeAsOldMaster(broker: TestBroker, bodies: string[]): Promise<void> {
  await sendAll(await open(broker), '/queue/q', bodies);
}

const numbered = (prefix: string, n: number, from = 0) => Array.from({ length: n }, (_, i) => `${prefix}${from + i}`);

async function receive(client: RawClient, n: number): Promise<Array<{ body: string; redelivered: boolean }>> {
  const out: Array<{ body: string; redelivered: boolean }> = [];
  for (let i = 0; i < n; i++) {
    const m = await client.next('MESSAGE');
    out.push({ body: m.body.toString(), redelivered: m.headers.get('redelivered') === 'true' });
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

describe('dispatch mark (redelivered after a master died)', () => {
  it('a recovered queue flags the stored messages at or below its mark as redelivered, and not those above', async () => {
    const store = new MarkGateStore();
    const old = await start(store);
    await storeAsOldMaster(old, numbered('m', 10));
    // The old master had dispatched up to id 4 when it died (its mark row says so).
    await store.addSubscription(dispatchMarkRow('queue://q', 4));
    const next = await start(store);
    await next.broker.recover();
    const consumer = await open(next);
    consumer.send('SUBSCRIBE', { destination: '/queue/q', id: 's', ack: 'client-individual' });
    const got = await receive(consumer, 10);
    expect(got.map((m) => m.body)).toEqual(numbered('m', 10));
    expect(got.map((m) => m.redelivered)).toEqual([true, true, true, true, false, false, false, false, false, false]);
  });

  it('messages the new master stores itself are never flagged, even where the old mark reaches beyond their ids', async () => {
    const store = new MarkGateStore();
    const old = await start(store);
    await storeAsOldMaster(old, numbered('old', 15));
    await store.addSubscription(dispatchMarkRow('queue://q', 15 + DISPATCH_MARK_CHUNK));
    // A page of 10: the new master's messages are paged out and read back from the store.
    const next = await start(store, 10);
    await next.broker.recover();
    await sendAll(await open(next), '/queue/q', numbered('new', 10));
    const consumer = await open(next);
    consumer.send('SUBSCRIBE', { destination: '/queue/q', id: 's', ack: 'client-individual' });
    const got = await receive(consumer, 25);
    expect(got.filter((m) => m.redelivered).map((m) => m.body)).toEqual(numbered('old', 15));
    expect(got.filter((m) => !m.redelivered).map((m) => m.body)).toEqual(numbered('new', 10));
  });

  it('a MESSAGE is written only after the mark covering it was committed, in order', async () => {
    const store = new MarkGateStore();
    const broker = await start(store);
    await sendAll(await open(broker), '/queue/q', numbered('m', 5));
    store.holding = true;
    const consumer = await open(broker);
    consumer.send('SUBSCRIBE', { destination: '/queue/q', id: 's', ack: 'client-individual' });
    expect(await nothingMore(consumer)).toBe(true);
    expect(await store.storedMark('queue://q')).toBeNull();
    store.release();
    const got = await receive(consumer, 5);
    expect(got.map((m) => m.body)).toEqual(numbered('m', 5));
    expect(got.every((m) => !m.redelivered)).toBe(true);
    expect(await store.storedMark('queue://q')).toBeGreaterThanOrEqual(5);
  });

  it('a long run of dispatches writes the mark about once per chunk', async () => {
    const store = new MarkGateStore();
    const broker = await start(store);
    const n = 3 * DISPATCH_MARK_CHUNK;
    const consumer = await open(broker);
    consumer.send('SUBSCRIBE', { destination: '/queue/q', id: 's', ack: 'auto' });
    await sendAll(await open(broker), '/queue/q', numbered('m', n));
    const got = await receive(consumer, n);
    expect(got.map((m) => m.body)).toEqual(numbered('m', n));
    expect(store.markWrites).toBeLessThanOrEqual(n / DISPATCH_MARK_CHUNK + 1);
    expect(await store.storedMark('queue://q')).toBeGreaterThanOrEqual(n);
  });

  it('non-persistent messages need no mark', async () => {
    const store = new MarkGateStore();
    store.holding = true;
    const broker = await start(store);
    const consumer = await open(broker);
    consumer.send('SUBSCRIBE', { destination: '/queue/q', id: 's', ack: 'auto' });
    const producer = await open(broker);
    producer.send('SEND', { destination: '/queue/q', persistent: 'false', receipt: 'r' }, 'np');
    await producer.next('RECEIPT');
    expect((await receive(consumer, 1))[0]?.body).toBe('np');
    expect(store.markWrites).toBe(0);
    store.release();
  });
});
