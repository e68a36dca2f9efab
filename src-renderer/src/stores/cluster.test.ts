import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { broker, cluster, fakeClient, stateEvent } from '../test-support/fake-client.js';
import { setLabClient } from './client.js';
import { useClusterStore } from './cluster.js';

describe('the cluster store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('reads "no cluster" from the conflict answer instead of showing an error', async () => {
    setLabClient(fakeClient().client);
    const store = useClusterStore();
    await store.refresh();
    expect(store.loaded).toBe(true);
    expect(store.status).toBeNull();
    expect(store.errors['cluster']).toBeUndefined();
  });

  it('records a master change from the old master across the moment nobody was master', async () => {
    setLabClient(fakeClient({ 'cluster/status': () => cluster([broker('broker1', 'master'), broker('broker2', 'slave', 101)]) }).client);
    const store = useClusterStore();
    await store.refresh();
    store.apply(stateEvent('broker1', 'stopped', null, 2000));
    expect(store.master).toBeNull();
    store.apply(stateEvent('broker2', 'master', 101, 2500));
    expect(store.lastMasterChange).toEqual({ from: 'broker1', to: 'broker2', at: 2500 });
    expect(store.startedAt['broker1']).toBeUndefined();
  });

  it('keeps the roles that events brought while the create answer was on its way', async () => {
    let answer: (status: ReturnType<typeof cluster>) => void = () => undefined;
    const fake = fakeClient({ 'cluster/create': () => new Promise((resolve) => (answer = resolve)) });
    setLabClient(fake.client);
    const store = useClusterStore();
    const creating = store.create({ brokers: 2 });
    // The WebSocket outran the HTTP answer: both brokers settled before the snapshot arrived.
    store.apply(stateEvent('broker1', 'master', 100));
    store.apply(stateEvent('broker2', 'slave', 101));
    answer(cluster([broker('broker1', 'master'), broker('broker2', 'starting', 101)]));
    await creating;
    expect(store.brokers.map((b) => [b.name, b.role])).toEqual([['broker1', 'master'], ['broker2', 'slave']]);
    // Once adopted, events apply directly and nothing is replayed twice.
    store.apply(stateEvent('broker2', 'stopped', null));
    expect(store.brokers[1]!.role).toBe('stopped');
  });

  it('flags two brokers at master at once when the lab host says so, and clears it when it ends', async () => {
    setLabClient(fakeClient({ 'cluster/status': () => cluster([broker('broker1', 'master'), broker('broker2', 'slave', 101)]) }).client);
    const store = useClusterStore();
    await store.refresh();
    expect(store.dualMaster).toBe(false);
    store.apply(stateEvent('broker2', 'master', 101));
    store.apply({ seq: 902, ts: 1000, type: 'dual-master', brokers: ['broker1', 'broker2'] });
    expect(store.dualMaster).toBe(true);
    expect(store.masters.map((b) => b.name)).toEqual(['broker1', 'broker2']);
    store.apply({ seq: 903, ts: 1200, type: 'dual-master', brokers: [] });
    expect(store.dualMaster).toBe(false);
  });

  it('keeps a failed action\'s message on that broker and clears it on the next try', async () => {
    const fake = fakeClient({ 'cluster/status': () => cluster([broker('broker1', 'master')]) });
    setLabClient(fake.client);
    const store = useClusterStore();
    await store.refresh();
    await store.act('broker1', 'cut-link');
    expect(store.errors['broker1']).toMatch(/no cluster/);
    expect(fake.calls).toContainEqual({ command: 'fault/cut-link', payload: { broker: 'broker1' } });
  });

  it('sends the simulated database failure for SQLite and tracks it from the fault events', async () => {
    const fake = fakeClient({ 'cluster/status': () => cluster([broker('broker1', 'master')]), 'fault/db-failure': () => ({ fault: 'db-failure', broker: 'broker1', detail: '', simulated: true }) });
    setLabClient(fake.client);
    const store = useClusterStore();
    await store.refresh();
    await store.act('broker1', 'fail-db');
    expect(fake.calls.at(-1)).toEqual({ command: 'fault/db-failure', payload: { broker: 'broker1', failing: true } });
    store.apply({ seq: 900, ts: 1, type: 'fault', fault: 'db-failure', phase: 'injected', broker: 'broker1', simulated: true, detail: '' });
    expect(store.dbFailing['broker1']).toBe(true);
    store.apply({ seq: 901, ts: 2, type: 'fault', fault: 'db-failure', phase: 'healed', broker: 'broker1', simulated: true, detail: '' });
    expect(store.dbFailing['broker1']).toBeUndefined();
  });

  it('adds a broker through cluster/add-broker and shows it from the refreshed status', async () => {
    let brokers = [broker('broker1', 'master'), broker('broker2', 'slave', 101)];
    const fake = fakeClient({
      'cluster/status': () => cluster(brokers),
      'cluster/add-broker': () => {
        const added = broker('broker3', 'starting', 102);
        brokers = [...brokers, added];
        return added;
      },
    });
    setLabClient(fake.client);
    const store = useClusterStore();
    await store.refresh();
    await store.addBroker();
    expect(fake.calls.map((c) => c.command)).toContain('cluster/add-broker');
    expect(store.brokers.map((b) => b.name)).toEqual(['broker1', 'broker2', 'broker3']);
    expect(store.errors['add-broker']).toBeUndefined();
  });

  it('keeps the add-broker error by the button', async () => {
    setLabClient(fakeClient({ 'cluster/status': () => cluster([broker('broker1', 'master')]) }).client);
    const store = useClusterStore();
    await store.refresh();
    await store.addBroker();
    expect(store.errors['add-broker']).toMatch(/no cluster/);
  });
});
