import { afterEach, describe, expect, it } from 'vitest';
import type { RawClient} from './test-client.fixture.js';
import { TestScope } from './test-client.fixture.js';

const scope = new TestScope();

const open = (version: '1.0' | '1.1' | '1.2' | null = '1.2'): Promise<RawClient> => scope.open(version);

async function subscribe(client: RawClient, headers: Record<string, string>): Promise<void> {
  client.send('SUBSCRIBE', { ...headers, receipt: `sub-${headers.id ?? ''}` });
  await client.next('RECEIPT');
}

async function sendAll(client: RawClient, destination: string, bodies: string[], extra: Record<string, string> = {}): Promise<void> {
  for (const body of bodies) client.send('SEND', { destination, ...extra }, body);
  client.send('SEND', { destination: '/queue/__sync', receipt: 'sync' });
  await client.next('RECEIPT');
}

async function messages(client: RawClient, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push((await client.next('MESSAGE')).body.toString());
  return out;
}

async function nothingMore(client: RawClient): Promise<boolean> {
  return (await client.next('MESSAGE', 150).catch(() => null)) === null;
}

afterEach(() => scope.close());

describe('queues', () => {
  it('[STOMP-1.2 message] MESSAGE carries ActiveMQ headers and the user headers', async () => {
    await scope.start();
    const c = await open();
    await subscribe(c, { destination: '/queue/h', id: 's1', ack: 'client-individual' });
    c.send('SEND', { destination: '/queue/h', persistent: 'true', priority: '7', foo: 'a:b', 'content-length': '2' }, 'hi');
    const m = await c.next('MESSAGE');
    expect(m.headers.get('message-id')).toMatch(/^ID:test-broker-\d+-0:\d+:-1:1:\d+$/);
    expect(m.headers.get('destination')).toBe('/queue/h');
    expect(m.headers.get('subscription')).toBe('s1');
    expect(m.headers.get('ack')).toBeDefined();
    expect(m.headers.get('persistent')).toBe('true');
    expect(m.headers.get('priority')).toBe('7');
    expect(m.headers.get('expires')).toBe('0');
    expect(Number(m.headers.get('timestamp'))).toBeGreaterThan(0);
    expect(m.headers.get('foo')).toBe('a:b');
    expect(m.headers.get('content-length')).toBe('2');
    expect(m.headers.has('redelivered')).toBe(false);
  });

  it('dispatches round-robin across consumers and never to two at once', async () => {
    await scope.start();
    const a = await open();
    const b = await open();
    await subscribe(a, { destination: '/queue/rr', id: 'a', ack: 'client-individual' });
    await subscribe(b, { destination: '/queue/rr', id: 'b', ack: 'client-individual' });
    const p = await open();
    await sendAll(p, '/queue/rr', ['1', '2', '3', '4']);
    expect(await messages(a, 2)).toEqual(['1', '3']);
    expect(await messages(b, 2)).toEqual(['2', '4']);
  });

  it('respects activemq.prefetchSize: no more unacknowledged messages than the prefetch', async () => {
    await scope.start();
    const c = await open();
    await subscribe(c, { destination: '/queue/pf', id: 's', ack: 'client-individual', 'activemq.prefetchSize': '2' });
    const p = await open();
    await sendAll(p, '/queue/pf', ['1', '2', '3']);
    const first = await c.next('MESSAGE');
    await c.next('MESSAGE');
    expect(await nothingMore(c)).toBe(true);
    c.send('ACK', { id: first.headers.get('ack') as string });
    expect(await messages(c, 1)).toEqual(['3']);
  });

  it('redelivers unacknowledged messages of a consumer that disconnects, with redelivered:true', async () => {
    await scope.start();
    const a = await open();
    await subscribe(a, { destination: '/queue/re', id: 'a', ack: 'client' });
    const p = await open();
    await sendAll(p, '/queue/re', ['1', '2'], { persistent: 'true' });
    await messages(a, 2);
    a.close();
    const b = await open();
    await subscribe(b, { destination: '/queue/re', id: 'b', ack: 'client' });
    const m1 = await b.next('MESSAGE');
    expect(m1.body.toString()).toBe('1');
    expect(m1.headers.get('redelivered')).toBe('true');
    expect((await b.next('MESSAGE')).body.toString()).toBe('2');
  });

  it('[STOMP-1.2 ack] client ack is cumulative and removes persistent messages from the store', async () => {
    const broker = await scope.start();
    const c = await open();
    await subscribe(c, { destination: '/queue/ca', id: 's', ack: 'client' });
    const p = await open();
    await sendAll(p, '/queue/ca', ['1', '2', '3'], { persistent: 'true' });
    await c.next('MESSAGE');
    const second = await c.next('MESSAGE');
    await c.next('MESSAGE');
    c.send('ACK', { id: second.headers.get('ack') as string, receipt: 'ack' });
    await c.next('RECEIPT');
    expect((await broker.store.counts()).get('queue://ca')).toBe(1);
  });

  it('[STOMP-1.1 ack] acknowledges by subscription + message-id; an unknown id is an ERROR', async () => {
    const broker = await scope.start();
    const c = await open('1.1');
    await subscribe(c, { destination: '/queue/a11', id: 's', ack: 'client-individual' });
    const p = await open();
    await sendAll(p, '/queue/a11', ['1'], { persistent: 'true' });
    const m = await c.next('MESSAGE');
    expect(m.headers.has('ack')).toBe(false);
    c.send('ACK', { subscription: 's', 'message-id': 'nope', receipt: 'bad' }, '', '1.1');
    expect((await c.next('ERROR')).headers.get('message')).toMatch(/Unexpected ACK/);
    c.send('ACK', { subscription: 's', 'message-id': m.headers.get('message-id') as string, receipt: 'ok' }, '', '1.1');
    expect((await c.next('RECEIPT')).headers.get('receipt-id')).toBe('ok');
    expect((await broker.store.counts()).get('queue://a11')).toBeUndefined();
  });

  it('[STOMP-1.0 ack] acknowledges by message-id alone; MESSAGE has no subscription without an id', async () => {
    const broker = await scope.start();
    const c = await open(null);
    c.send('SUBSCRIBE', { destination: '/queue/a10', ack: 'client', receipt: 'r' }, '', '1.0');
    await c.next('RECEIPT');
    const p = await open();
    await sendAll(p, '/queue/a10', ['1'], { persistent: 'true' });
    const m = await c.next('MESSAGE');
    expect(m.headers.has('subscription')).toBe(false);
    c.send('ACK', { 'message-id': m.headers.get('message-id') as string, receipt: 'ok' }, '', '1.0');
    await c.next('RECEIPT');
    expect((await broker.store.counts()).get('queue://a10')).toBeUndefined();
  });

  it('auto ack removes persistent messages from the store on dispatch (ActiveMQ)', async () => {
    const broker = await scope.start();
    const c = await open();
    await subscribe(c, { destination: '/queue/auto', id: 's' });
    const p = await open();
    await sendAll(p, '/queue/auto', ['1', '2'], { persistent: 'true' });
    await messages(c, 2);
    // Stopping waits for every store commit started or scheduled, the auto acks' deletes among them.
    await broker.broker.stop();
    expect((await broker.store.counts()).get('queue://auto')).toBeUndefined();
  });

  it('[STOMP-1.2 nack] NACK sends a persistent message to ActiveMQ.DLQ (ActiveMQ poison ack)', async () => {
    await scope.start();
    const c = await open();
    await subscribe(c, { destination: '/queue/n', id: 's', ack: 'client-individual' });
    await subscribe(c, { destination: '/queue/ActiveMQ.DLQ', id: 'dlq', ack: 'auto' });
    const p = await open();
    await sendAll(p, '/queue/n', ['bad'], { persistent: 'true' });
    const m = await c.next('MESSAGE');
    c.send('NACK', { id: m.headers.get('ack') as string, receipt: 'n' });
    await c.next('RECEIPT');
    const dead = await c.next('MESSAGE');
    expect(dead.headers.get('subscription')).toBe('dlq');
    expect(dead.headers.get('original-destination')).toBe('/queue/n');
  });

  it('recovers persisted queue messages from the store', async () => {
    const broker = await scope.start();
    const p = await open();
    await sendAll(p, '/queue/rec', ['1', '2'], { persistent: 'true' });
    await broker.broker.recover();
    const c = await open();
    await subscribe(c, { destination: '/queue/rec', id: 's', ack: 'client' });
    expect(await messages(c, 2)).toEqual(['1', '2']);
    expect(await nothingMore(c)).toBe(true);
  });
});

describe('transactions', () => {
  it('[STOMP-1.2 commit] SENDs of a transaction are delivered only after COMMIT, in one store batch', async () => {
    const broker = await scope.start();
    const c = await open();
    await subscribe(c, { destination: '/queue/tx', id: 's', ack: 'client-individual' });
    const p = await open();
    p.send('BEGIN', { transaction: 't1' });
    p.send('SEND', { destination: '/queue/tx', transaction: 't1', persistent: 'true' }, '1');
    p.send('SEND', { destination: '/queue/tx', transaction: 't1' }, '2');
    await sendAll(p, '/queue/other', []);
    expect(await nothingMore(c)).toBe(true);
    expect((await broker.store.counts()).get('queue://tx')).toBeUndefined();
    p.send('COMMIT', { transaction: 't1', receipt: 'c' });
    await p.next('RECEIPT');
    expect(await messages(c, 2)).toEqual(['1', '2']);
  });

  it('[STOMP-1.2 abort] ABORT drops the SENDs and undoes the ACKs', async () => {
    const broker = await scope.start();
    const c = await open();
    await subscribe(c, { destination: '/queue/ab', id: 's', ack: 'client-individual' });
    const p = await open();
    await sendAll(p, '/queue/ab', ['1'], { persistent: 'true' });
    const m = await c.next('MESSAGE');
    c.send('BEGIN', { transaction: 't' });
    c.send('ACK', { id: m.headers.get('ack') as string, transaction: 't' });
    c.send('SEND', { destination: '/queue/ab', transaction: 't' }, 'never');
    c.send('ABORT', { transaction: 't', receipt: 'a' });
    await c.next('RECEIPT');
    expect(await nothingMore(c)).toBe(true);
    expect((await broker.store.counts()).get('queue://ab')).toBe(1);
    c.send('ACK', { id: m.headers.get('ack') as string, receipt: 'again' });
    await c.next('RECEIPT');
    expect((await broker.store.counts()).get('queue://ab')).toBeUndefined();
  });

  it('an unknown transaction is an ERROR', async () => {
    await scope.start();
    const c = await open();
    c.send('COMMIT', { transaction: 'nope' });
    expect((await c.next('ERROR')).headers.get('message')).toBe('Invalid transaction id: nope');
  });
});

describe('topics', () => {
  it('fans out to every current subscriber, not to later ones', async () => {
    await scope.start();
    const a = await open();
    const b = await open();
    await subscribe(a, { destination: '/topic/t', id: 'a' });
    await subscribe(b, { destination: '/topic/t', id: 'b' });
    const p = await open();
    await sendAll(p, '/topic/t', ['x', 'y']);
    expect(await messages(a, 2)).toEqual(['x', 'y']);
    expect(await messages(b, 2)).toEqual(['x', 'y']);
    const late = await open();
    await subscribe(late, { destination: '/topic/t', id: 'l' });
    expect(await nothingMore(late)).toBe(true);
  });

  it('UNSUBSCRIBE stops delivery', async () => {
    await scope.start();
    const a = await open();
    await subscribe(a, { destination: '/topic/u', id: 'a' });
    a.send('UNSUBSCRIBE', { id: 'a', receipt: 'u' });
    await a.next('RECEIPT');
    const p = await open();
    await sendAll(p, '/topic/u', ['x']);
    expect(await nothingMore(a)).toBe(true);
    a.send('UNSUBSCRIBE', { id: 'a' });
    expect((await a.next('ERROR')).headers.get('message')).toBe('No subscription matched.');
  });
});
