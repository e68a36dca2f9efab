import { afterEach, describe, expect, it } from 'vitest';
import { MemoryPersistenceAdapter } from '../store/memory/memory-persistence-adapter.js';
import type { BatchResult, StoreBatch } from '../store/persistence-adapter.js';
import { StoreError } from '../util/errors.js';
import { createMemoryLogger } from '../util/log.js';
import { barrier, RawClient, TestScope } from './test-client.fixture.js';

const scope = new TestScope();

const open = (...args: Parameters<TestScope['open']>): Promise<RawClient> => scope.open(...args);

afterEach(() => scope.close());

/** The real memory store, with commits held until released: shows what waits for the commit. */
class GatedStore extends MemoryPersistenceAdapter {
  gate: Promise<void> | null = null;
  release: () => void = () => {};
  hold(): void {
    this.gate = new Promise((r) => (this.release = r));
  }
  override async commit(batch: StoreBatch): Promise<BatchResult> {
    if (this.gate) await this.gate;
    return super.commit(batch);
  }
}

describe('CONNECT', () => {
  it('[STOMP-1.2 protocol negotiation] picks the highest common version and answers heart-beat swapped', async () => {
    const broker = await scope.start();
    const client = await RawClient.connect(broker);
    scope.track(client);
    client.send('CONNECT', { 'accept-version': '1.0,1.1,1.2', host: 'x', 'heart-beat': '1000,2000', 'client-id': 'me' });
    const connected = await client.next('CONNECTED');
    expect(connected.headers.get('version')).toBe('1.2');
    expect(connected.headers.get('heart-beat')).toBe('2000,1000');
    expect(connected.headers.get('session')).toBe('me');
    expect(connected.headers.get('server')).toMatch(/^failover-lab\//);
  });

  it('[STOMP-1.1 protocol negotiation] a CONNECT without accept-version speaks 1.0, like ActiveMQ', async () => {
    await scope.start();
    const client = await open(null);
    client.send('SUBSCRIBE', { destination: '/queue/v10', receipt: 'r1' });
    expect((await client.next('RECEIPT')).headers.get('receipt-id')).toBe('r1');
  });

  it('[STOMP-1.2 protocol negotiation] an unsupported version gets an ERROR and a closed connection', async () => {
    const broker = await scope.start();
    const client = await RawClient.connect(broker);
    scope.track(client);
    client.send('CONNECT', { 'accept-version': '2.0' });
    expect((await client.next('ERROR')).headers.get('message')).toMatch(/Invalid Protocol version/);
    await client.waitClosed();
  });

  it('a frame before CONNECT gets an ERROR and a closed connection; other connections are unaffected', async () => {
    const broker = await scope.start();
    const good = await open('1.2');
    const bad = await RawClient.connect(broker);
    scope.track(bad);
    bad.send('SEND', { destination: '/queue/a', receipt: 'x' });
    const error = await bad.next('ERROR');
    expect(error.headers.get('message')).toMatch(/before CONNECT/);
    expect(error.headers.get('receipt-id')).toBe('x');
    await bad.waitClosed();
    good.send('SEND', { destination: '/queue/a', receipt: 'ok' });
    expect((await good.next('RECEIPT')).headers.get('receipt-id')).toBe('ok');
  });

  it('an unknown command and garbage bytes get an ERROR and a closed connection', async () => {
    await scope.start();
    const client = await open('1.2');
    client.send('FLY', {});
    expect((await client.next('ERROR')).headers.get('message')).toMatch(/Unknown STOMP action: FLY/);
    await client.waitClosed();
    const garbage = await open('1.1');
    garbage.raw(Buffer.from('SEND\nno colon here\n\n\0'));
    expect((await garbage.next('ERROR')).headers.get('message')).toMatch(/Unable to parse header/);
    await garbage.waitClosed();
  });

  it('an OpenWire client is closed without an ERROR frame', async () => {
    const broker = await scope.start();
    const client = await RawClient.connect(broker);
    scope.track(client);
    client.raw(Buffer.concat([Buffer.from([0, 0, 1, 0, 1]), Buffer.from('ActiveMQ'), Buffer.alloc(20)]));
    await client.waitClosed();
    expect(client.frames).toHaveLength(0);
  });

  it('[STOMP-1.2 disconnect] DISCONNECT is receipted, then the connection closes', async () => {
    await scope.start();
    const client = await open('1.2');
    client.send('DISCONNECT', { receipt: 'bye' });
    expect((await client.next('RECEIPT')).headers.get('receipt-id')).toBe('bye');
    await client.waitClosed();
  });
});

describe('SEND and the store', () => {
  it('[STOMP-1.2 receipt] a persistent SEND is receipted only after the store commit resolved', async () => {
    const store = new GatedStore();
    await scope.start({ store });
    const client = await open('1.2');
    store.hold();
    client.send('SEND', { destination: '/queue/p', persistent: 'true', receipt: 's1' }, 'hello');
    await barrier(scope.started);
    expect(client.frames.filter((f) => f.command === 'RECEIPT')).toHaveLength(0);
    expect((await store.counts()).get('queue://p')).toBeUndefined();
    store.release();
    await client.next('RECEIPT');
    expect((await store.counts()).get('queue://p')).toBe(1);
  });

  it('receipts in frame order even when a later frame needs no store', async () => {
    const store = new GatedStore();
    await scope.start({ store });
    const client = await open('1.2');
    store.hold();
    client.send('SEND', { destination: '/queue/p', persistent: 'true', receipt: 'a' }, '1');
    client.send('SEND', { destination: '/queue/p', receipt: 'b' }, '2');
    await barrier(scope.started);
    expect(client.frames).toHaveLength(0);
    store.release();
    expect((await client.next('RECEIPT')).headers.get('receipt-id')).toBe('a');
    expect((await client.next('RECEIPT')).headers.get('receipt-id')).toBe('b');
  });

  it('a failed store commit gets no RECEIPT and is reported through onStoreFailure', async () => {
    const failures: unknown[] = [];
    const broker = await scope.start({ onStoreFailure: (err) => failures.push(err) });
    const client = await open('1.2');
    broker.store.simulateFailure(true);
    client.send('SEND', { destination: '/queue/f', persistent: 'true', receipt: 'no' }, 'x');
    client.send('SEND', { destination: '/queue/f', receipt: 'later' }, 'y');
    expect((await client.next('RECEIPT')).headers.get('receipt-id')).toBe('later');
    expect(failures[0]).toBeInstanceOf(StoreError);
  });

  it('logs the frames one failed group commit failed as one line and a count, not a line each', async () => {
    const logger = createMemoryLogger();
    const broker = await scope.start({ logger, onStoreFailure: () => undefined });
    const client = await open('1.2');
    broker.store.simulateFailure(true);
    for (let i = 0; i < 5; i++) client.send('SEND', { destination: '/queue/f', persistent: 'true', receipt: `p${i}` }, 'x');
    client.send('SEND', { destination: '/queue/f', receipt: 'later' }, 'y');
    expect((await client.next('RECEIPT')).headers.get('receipt-id')).toBe('later');
    await new Promise((r) => setImmediate(r));
    const failed = logger.lines.filter((l) => String(l['msg']).includes('failed'));
    expect(failed.map((l) => l['msg'])).toEqual(['frame failed', '4 more SEND frames failed the same way']);
    expect(failed[1]).toMatchObject({ command: 'SEND', frames: 4, error: failed[0]?.['error'] });
  });

  it('writes nothing and starts no commit once isServing() is false', async () => {
    let serving = true;
    const broker = await scope.start({ isServing: () => serving });
    const client = await open('1.2');
    serving = false;
    client.send('SEND', { destination: '/queue/x', persistent: 'true', receipt: 'r' }, 'x');
    client.send('FLY', { receipt: 'e' });
    // The frames arrive within this turn (in memory); then serving again, a later RECEIPT shows
    // that nothing was written for them meanwhile.
    await new Promise((r) => setImmediate(r));
    serving = true;
    await barrier(broker);
    expect(client.frames).toHaveLength(0);
    expect((await broker.store.counts()).size).toBe(0);
  });

  it('[producer audit] a duplicate producer-id + producer-seq is receipted but not delivered twice', async () => {
    await scope.start();
    const producer = await open('1.2');
    const consumer = await open('1.2');
    consumer.send('SUBSCRIBE', { destination: '/queue/d', id: 's', receipt: 'sub' });
    await consumer.next('RECEIPT');
    const headers = { destination: '/queue/d', persistent: 'true', 'producer-id': 'P1', 'producer-seq': '7' };
    producer.send('SEND', { ...headers, receipt: '1' }, 'once');
    producer.send('SEND', { ...headers, receipt: '2' }, 'once');
    producer.send('SEND', { destination: '/queue/d', receipt: '3' }, 'after');
    await producer.next('RECEIPT');
    await producer.next('RECEIPT');
    await producer.next('RECEIPT');
    expect((await consumer.next('MESSAGE')).body.toString()).toBe('once');
    expect((await consumer.next('MESSAGE')).body.toString()).toBe('after');
    expect((await consumer.next('MESSAGE', 200).catch(() => null))).toBeNull();
  });

  it('[STOMP-1.2 send] a SEND without destination gets an ERROR but the connection stays open (ActiveMQ)', async () => {
    await scope.start();
    const client = await open('1.2');
    client.send('SEND', { receipt: 'r' }, 'x');
    const error = await client.next('ERROR');
    expect(error.headers.get('receipt-id')).toBe('r');
    client.send('SEND', { destination: '/queue/a', receipt: 'ok' });
    expect((await client.next('RECEIPT')).headers.get('receipt-id')).toBe('ok');
  });
});

describe('closeAllConnections', () => {
  it('closes every connection at once and writes nothing, not even redeliveries to the others', async () => {
    const broker = await scope.start();
    const a = await open('1.2');
    const b = await open('1.2');
    a.send('SUBSCRIBE', { destination: '/queue/all', id: 'a', ack: 'client', receipt: 'ra' });
    await a.next('RECEIPT');
    a.send('SEND', { destination: '/queue/all', receipt: 's' }, 'x');
    await a.next('MESSAGE');
    await a.next('RECEIPT');
    b.send('SUBSCRIBE', { destination: '/queue/all', id: 'b', ack: 'client', receipt: 'rb' });
    await b.next('RECEIPT');
    broker.broker.closeAllConnections();
    await a.waitClosed();
    await b.waitClosed();
    expect(b.frames).toHaveLength(0);
    expect(broker.broker.stats().connections).toBe(0);
  });
});
