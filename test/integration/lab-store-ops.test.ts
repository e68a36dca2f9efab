import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_URL, startLab } from '../support/lab-harness.js';
import type { Lab } from '../support/lab-harness.js';
import { RawStomp } from '../support/raw-stomp.js';

// The Store view's operations through LabApi, against real brokers: STOMP to the master for
// browse and send, the master's control channel for purge, ACTIVEMQ_ACKS for durable subscriptions.
describe.each([
  ['SQLite', 'sqlite'],
  ['pg-mem', 'pgmem'],
  ['PostgreSQL', PG_URL],
])('Store operations on %s', (_label, store) => {
  let lab: Lab;

  beforeAll(async () => {
    lab = await startLab({ brokers: 2, store });
    await lab.master();
  });
  afterAll(async () => {
    await lab?.close();
  });

  it('sends with a receipt, browses without consuming, then purges the queue on the master', async () => {
    const master = await lab.master();
    for (const body of ['one', 'two', 'three']) {
      const sent = await lab.service.invoke('store/send', { destination: '/queue/lab.ops', body, headers: { origin: 'test' } });
      expect(sent).toMatchObject({ broker: master, destination: '/queue/lab.ops' });
    }
    const browsed = await lab.service.invoke('store/browse', { destination: '/queue/lab.ops' });
    expect(browsed.messages.map((m) => m.body)).toEqual(['one', 'two', 'three']);
    expect(browsed.messages[0]).toMatchObject({ persistent: true, headers: { origin: 'test' } });
    expect((await lab.service.invoke('store/browse', { destination: '/queue/lab.ops', limit: 2 })).truncated).toBe(true);
    const depth = async () => (await lab.service.invoke('store/inspect')).queues.find((q) => q.destination === 'queue://lab.ops')?.depth ?? 0;
    expect(await depth()).toBe(3);
    expect(await lab.service.invoke('store/purge', { destination: '/queue/lab.ops' })).toEqual({ destination: '/queue/lab.ops', broker: master, purged: 3 });
    await lab.waitFor(async () => (await depth()) === 0, 'the purged rows gone from ACTIVEMQ_MSGS');
    expect((await lab.service.invoke('store/browse', { destination: '/queue/lab.ops' })).messages).toEqual([]);
  });

  it('lists a durable subscription from ACTIVEMQ_ACKS with what it still owes', async () => {
    const status = await lab.service.invoke('cluster/status');
    const port = status.brokers.find((b) => b.role === 'master')!.connectors[0]!.port;
    const client = await RawStomp.connect(port);
    client.send('CONNECT', { 'accept-version': '1.2', host: 'localhost', 'client-id': 'lab-test' });
    await client.waitForFrame((f) => f.command === 'CONNECTED');
    client.send('SUBSCRIBE', { destination: '/topic/lab.prices', id: 'd', 'activemq.subscriptionName': 'watcher', receipt: 'r1' });
    await client.waitForFrame((f) => f.command === 'RECEIPT');
    client.send('DISCONNECT', {});
    await lab.service.invoke('store/send', { destination: '/topic/lab.prices', body: 'p1' });
    const { subscriptions } = await lab.service.invoke('store/subscriptions');
    expect(subscriptions).toContainEqual(expect.objectContaining({ destination: 'topic://lab.prices', clientId: 'lab-test', subscriptionName: 'watcher', pending: 1 }));
  });

  it('refuses to purge a topic before asking any broker', async () => {
    await expect(lab.service.invoke('store/purge', { destination: '/topic/lab.prices' })).rejects.toMatchObject({ reason: 'bad-request' });
  });
});
