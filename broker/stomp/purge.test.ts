import { afterEach, describe, expect, it } from 'vitest';
import { request, TestScope } from './test-client.fixture.js';

const scope = new TestScope();
const open = () => scope.open();
afterEach(() => scope.close());

describe('MessageBroker.purge', () => {
  it('[ActiveMQ purge] removes every waiting message from memory and the store, and the queue keeps working', async () => {
    const p = await open();
    for (const body of ['a', 'b', 'c']) expect(await request(p, 'SEND', { destination: '/queue/purge.me', persistent: 'true' }, body)).toBe('RECEIPT');
    expect(await scope.started.broker.purge('/queue/purge.me')).toBe(3);
    expect(await scope.started.store.recover('queue://purge.me', 0, 100)).toEqual([]);
    const c = await open();
    expect(await request(c, 'SUBSCRIBE', { destination: '/queue/purge.me', id: 's' })).toBe('RECEIPT');
    await request(p, 'SEND', { destination: '/queue/purge.me', persistent: 'true' }, 'after');
    expect((await c.next('MESSAGE')).body.toString()).toBe('after');
  });

  it('leaves a message dispatched and not yet acknowledged with its consumer', async () => {
    const c = await open();
    expect(await request(c, 'SUBSCRIBE', { destination: '/queue/purge.held', id: 's', ack: 'client-individual', 'activemq.prefetchSize': '1' })).toBe('RECEIPT');
    const p = await open();
    for (const body of ['held', 'waiting']) await request(p, 'SEND', { destination: '/queue/purge.held', persistent: 'true' }, body);
    const held = await c.next('MESSAGE');
    expect(held.body.toString()).toBe('held');
    expect(await scope.started.broker.purge('/queue/purge.held')).toBe(1);
    expect(await request(c, 'ACK', { id: held.headers.get('ack')! })).toBe('RECEIPT');
    expect(await scope.started.store.recover('queue://purge.held', 0, 100)).toEqual([]);
  });

  it('purges nothing from a queue nobody used, and refuses a topic', async () => {
    await open();
    expect(await scope.started.broker.purge('/queue/never.used')).toBe(0);
    await expect(scope.started.broker.purge('/topic/news')).rejects.toThrow(/only a queue/);
  });
});
