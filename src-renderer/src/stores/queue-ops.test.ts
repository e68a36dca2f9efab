import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeClient } from '../test-support/fake-client.js';
import { setLabClient } from './client.js';
import { stompName, useQueueOpsStore } from './queue-ops.js';

describe('the store operations store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('turns ACTIVEMQ_MSGS containers into STOMP destinations', () => {
    expect(stompName('queue://orders.eu')).toBe('/queue/orders.eu');
    expect(stompName('topic://prices')).toBe('/topic/prices');
    expect(stompName(' /queue/x ')).toBe('/queue/x');
  });

  it('sends through store/send, says who receipted it and browses the queue again', async () => {
    const fake = fakeClient({
      'store/send': (p) => ({ destination: p!.destination, broker: 'broker2', receipt: 'r' }),
      'store/browse': (p) => ({ destination: p!.destination, broker: 'broker2', messages: [], truncated: false }),
    });
    setLabClient(fake.client);
    const ops = useQueueOpsStore();
    await ops.browse('queue://orders');
    await ops.send('queue://orders', 'hi');
    expect(fake.calls.map((c) => c.command)).toEqual(['store/browse', 'store/send', 'store/browse']);
    expect(fake.calls[1]!.payload).toEqual({ destination: '/queue/orders', body: 'hi', persistent: true });
    expect(ops.notice).toBe('broker2 receipted the message to /queue/orders.');
  });

  it('keeps a purge error by the purge and reports the count when it works', async () => {
    setLabClient(fakeClient().client);
    const ops = useQueueOpsStore();
    await ops.purge('/queue/orders');
    expect(ops.errors['purge']).toMatch(/no cluster/);
    setLabClient(fakeClient({ 'store/purge': (p) => ({ destination: p!.destination, broker: 'broker1', purged: 1 }) }).client);
    await ops.purge('/queue/orders');
    expect(ops.errors['purge']).toBeUndefined();
    expect(ops.notice).toBe('broker1 purged 1 message from /queue/orders.');
  });
});
