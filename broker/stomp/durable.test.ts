import { afterEach, describe, expect, it } from 'vitest';
import { MemoryPersistenceAdapter } from '../store/memory/memory-persistence-adapter.js';
import { barrier, bodies, RawClient, request, startTestBroker, type TestBroker } from './test-client.fixture.js';

const brokers: TestBroker[] = [];
const clients: RawClient[] = [];

async function broker(store = new MemoryPersistenceAdapter()): Promise<TestBroker> {
  const b = await startTestBroker({ store });
  await b.broker.recover();
  brokers.push(b);
  return b;
}

async function open(b: TestBroker, clientId?: string): Promise<RawClient> {
  const c = await RawClient.open(b, '1.2', clientId === undefined ? {} : { 'client-id': clientId });
  clients.push(c);
  return c;
}

async function publish(c: RawClient, destination: string, bodies: string[], persistent = true): Promise<void> {
  for (const body of bodies) expect(await request(c, 'SEND', { destination, persistent: String(persistent) }, body)).toBe('RECEIPT');
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const b of brokers.splice(0)) await b.close();
});

const durableSub = { destination: '/topic/news', id: 'd1', 'activemq.subscriptionName': 'sub1' };

describe('durable topic subscriptions (activemq.subscriptionName)', () => {
  it('keeps persistent messages published while the subscriber was away and delivers them when it returns', async () => {
    const b = await broker();
    const sub = await open(b, 'client-a');
    expect(await request(sub, 'SUBSCRIBE', durableSub)).toBe('RECEIPT');
    sub.close();
    const producer = await open(b);
    await publish(producer, '/topic/news', ['1', '2']);
    await publish(producer, '/topic/news', ['lost-when-offline'], false);
    const back = await open(b, 'client-a');
    expect(await request(back, 'SUBSCRIBE', durableSub)).toBe('RECEIPT');
    expect(await bodies(back, 2)).toEqual(['1', '2']);
    expect((await back.next('MESSAGE', 150).catch(() => null))).toBeNull();
  });

  it('survives a broker restart on the same store, from LAST_ACKED_ID on', async () => {
    const store = new MemoryPersistenceAdapter();
    const first = await broker(store);
    const sub = await open(first, 'client-a');
    expect(await request(sub, 'SUBSCRIBE', { ...durableSub, ack: 'client-individual' })).toBe('RECEIPT');
    const producer = await open(first);
    await publish(producer, '/topic/news', ['1', '2', '3']);
    const m1 = await sub.next('MESSAGE');
    expect(await request(sub, 'ACK', { id: m1.headers.get('ack') as string })).toBe('RECEIPT');
    await first.close();
    brokers.splice(brokers.indexOf(first), 1);

    const second = await broker(store);
    const back = await open(second, 'client-a');
    expect(await request(back, 'SUBSCRIBE', { ...durableSub, ack: 'client-individual' })).toBe('RECEIPT');
    const redelivered = [await back.next('MESSAGE'), await back.next('MESSAGE')];
    expect(redelivered.map((m) => m.body.toString())).toEqual(['2', '3']);
    for (const m of redelivered) expect(await request(back, 'ACK', { id: m.headers.get('ack') as string })).toBe('RECEIPT');
    expect((await store.counts()).get('topic://news') ?? 0).toBe(0);
  });

  it('stores a topic message once for several durable subscriptions and deletes it when the last one acknowledged it', async () => {
    const store = new MemoryPersistenceAdapter();
    const b = await broker(store);
    const a = await open(b, 'A');
    const c = await open(b, 'C');
    expect(await request(a, 'SUBSCRIBE', { ...durableSub, ack: 'client' })).toBe('RECEIPT');
    expect(await request(c, 'SUBSCRIBE', { ...durableSub, ack: 'client' })).toBe('RECEIPT');
    const producer = await open(b);
    await publish(producer, '/topic/news', ['x', 'y']);
    expect((await store.counts()).get('topic://news')).toBe(2);
    await a.next('MESSAGE');
    const ay = await a.next('MESSAGE');
    expect(await request(a, 'ACK', { id: ay.headers.get('ack') as string })).toBe('RECEIPT');
    expect((await store.counts()).get('topic://news')).toBe(2);
    await c.next('MESSAGE');
    const cy = await c.next('MESSAGE');
    expect(await request(c, 'ACK', { id: cy.headers.get('ack') as string })).toBe('RECEIPT');
    expect((await store.counts()).get('topic://news') ?? 0).toBe(0);
    const subs = await store.subscriptions();
    expect(subs.map((s) => [s.clientId, s.subName])).toEqual([['A', 'sub1'], ['C', 'sub1']]);
    expect(subs.every((s) => s.lastAckedId > 0)).toBe(true);
  });

  it('refuses a second consumer on an active durable subscription, like ActiveMQ', async () => {
    const b = await broker();
    const a = await open(b, 'same');
    expect(await request(a, 'SUBSCRIBE', durableSub)).toBe('RECEIPT');
    const twin = await open(b, 'same');
    expect(await request(twin, 'SUBSCRIBE', durableSub)).toMatch(/^ERROR Durable consumer is in use/);
  });

  it('UNSUBSCRIBE with the name removes an inactive durable subscription and refuses an active one', async () => {
    const store = new MemoryPersistenceAdapter();
    const b = await broker(store);
    const a = await open(b, 'A');
    expect(await request(a, 'SUBSCRIBE', durableSub)).toBe('RECEIPT');
    expect(await request(a, 'UNSUBSCRIBE', { id: 'd1', 'activemq.subscriptionName': 'sub1' })).toMatch(/^ERROR Durable consumer is in use/);
    expect(await request(a, 'UNSUBSCRIBE', { id: 'd1' })).toBe('RECEIPT');
    expect(await store.subscriptions()).toHaveLength(1);
    const producer = await open(b);
    await publish(producer, '/topic/news', ['kept']);
    expect(await request(a, 'UNSUBSCRIBE', { id: 'd1', 'activemq.subscriptionName': 'sub1' })).toBe('RECEIPT');
    expect(await store.subscriptions()).toEqual([]);
    expect((await store.counts()).get('topic://news') ?? 0).toBe(0);
    expect(await request(a, 'UNSUBSCRIBE', { id: 'd1', 'activemq.subscriptionName': 'sub1' })).toMatch(/^ERROR No durable subscription exists/);
  });

  it('refuses a durable subscription on a queue', async () => {
    const b = await broker();
    const a = await open(b, 'A');
    expect(await request(a, 'SUBSCRIBE', { destination: '/queue/q', id: 'x', 'activemq.subscriptionName': 's' })).toMatch(
      /^ERROR Invalid Subscription: cannot durably subscribe to a Queue/,
    );
  });

  it('redelivers unacknowledged messages of a consumer that left, marked redelivered', async () => {
    const b = await broker();
    const a = await open(b, 'A');
    expect(await request(a, 'SUBSCRIBE', { ...durableSub, ack: 'client-individual' })).toBe('RECEIPT');
    const producer = await open(b);
    await publish(producer, '/topic/news', ['1']);
    await a.next('MESSAGE');
    a.close();
    await a.waitClosed();
    await barrier(b);
    const back = await open(b, 'A');
    expect(await request(back, 'SUBSCRIBE', { ...durableSub, ack: 'client-individual' })).toBe('RECEIPT');
    const m = await back.next('MESSAGE');
    expect(m.body.toString()).toBe('1');
    expect(m.headers.get('redelivered')).toBe('true');
  });
});

describe('selectors on subscriptions', () => {
  it('[ActiveMQ selector] a queue consumer gets only what its selector selects; the rest waits for another consumer', async () => {
    const b = await broker();
    const red = await open(b);
    expect(await request(red, 'SUBSCRIBE', { destination: '/queue/paint', id: 'r', selector: "color = 'red'" })).toBe('RECEIPT');
    const producer = await open(b);
    for (const color of ['blue', 'red', 'green', 'red']) {
      expect(await request(producer, 'SEND', { destination: '/queue/paint', color }, color)).toBe('RECEIPT');
    }
    expect(await bodies(red, 2)).toEqual(['red', 'red']);
    const any = await open(b);
    expect(await request(any, 'SUBSCRIBE', { destination: '/queue/paint', id: 'a' })).toBe('RECEIPT');
    expect(await bodies(any, 2)).toEqual(['blue', 'green']);
  });

  it('[ActiveMQ selector] filters topic subscribers on typed JMS headers and string properties', async () => {
    const b = await broker();
    const urgent = await open(b);
    expect(await request(urgent, 'SUBSCRIBE', { destination: '/topic/t', id: 'u', selector: "JMSPriority > 6 AND region LIKE 'eu-%'" })).toBe('RECEIPT');
    const producer = await open(b);
    await request(producer, 'SEND', { destination: '/topic/t', priority: '9', region: 'us-1' }, 'a');
    await request(producer, 'SEND', { destination: '/topic/t', priority: '9', region: 'eu-1' }, 'b');
    await request(producer, 'SEND', { destination: '/topic/t', priority: '1', region: 'eu-1' }, 'c');
    expect(await bodies(urgent, 1)).toEqual(['b']);
    expect(await urgent.next('MESSAGE', 150).catch(() => null)).toBeNull();
  });

  it('[ActiveMQ selector] a durable subscription with a selector stores only what it selects', async () => {
    const store = new MemoryPersistenceAdapter();
    const b = await broker(store);
    const sub = await open(b, 'sel');
    expect(await request(sub, 'SUBSCRIBE', { ...durableSub, selector: "kind = 'keep'" })).toBe('RECEIPT');
    expect(await request(sub, 'UNSUBSCRIBE', { id: 'd1' })).toBe('RECEIPT');
    const producer = await open(b);
    await request(producer, 'SEND', { destination: '/topic/news', persistent: 'true', kind: 'drop' }, 'x');
    await request(producer, 'SEND', { destination: '/topic/news', persistent: 'true', kind: 'keep' }, 'y');
    // Stopping waits for every store commit started or scheduled.
    await b.broker.stop();
    expect((await store.counts()).get('topic://news')).toBe(1);
    // Stored with the prefix ActiveMQ's STOMP translator adds, as ActiveMQ stores it.
    expect((await store.subscriptions())[0]?.selector).toBe("convert_string_expressions:kind = 'keep'");
  });

  it('[ActiveMQ STOMP selector] compares a string header with a number or boolean by converting it, as ActiveMQ\'s STOMP translator does', async () => {
    const b = await broker();
    const big = await open(b);
    expect(await request(big, 'SUBSCRIBE', { destination: '/queue/sizes', id: 'b', selector: 'size > 2 AND fragile = TRUE' })).toBe('RECEIPT');
    const producer = await open(b);
    // '3.5' and ' 4 ' do not convert to the Integer literal's type (Java's Integer.valueOf): not selected.
    for (const [size, fragile] of [['1', 'true'], ['3', 'TRUE'], ['cheap', 'true'], ['10', 'no'], ['3.5', 'true'], [' 4 ', 'true'], ['5', 'true']] as [string, string][]) {
      expect(await request(producer, 'SEND', { destination: '/queue/sizes', size, fragile }, `${size.trim()}/${fragile}`)).toBe('RECEIPT');
    }
    expect(await bodies(big, 2)).toEqual(['3/TRUE', '5/true']);
    const rest = await open(b);
    expect(await request(rest, 'SUBSCRIBE', { destination: '/queue/sizes', id: 'r' })).toBe('RECEIPT');
    expect(await bodies(rest, 5)).toEqual(['1/true', 'cheap/true', '10/no', '3.5/true', '4/true']);
  });

  it('answers a malformed selector with an ERROR and keeps the connection', async () => {
    const b = await broker();
    const c = await open(b);
    expect(await request(c, 'SUBSCRIBE', { destination: '/queue/x', id: 's', selector: "color = 'red" })).toMatch(/^ERROR Invalid selector/);
    expect(await request(c, 'SUBSCRIBE', { destination: '/queue/x', id: 's' })).toBe('RECEIPT');
  });
});
