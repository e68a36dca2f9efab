import { describe, expect, it } from 'vitest';
import { FencedError, StoreError } from '../../util/errors.js';
import { runPersistenceAdapterContract } from '../persistence-adapter.contract.js';
import type { NewMessage } from '../persistence-adapter.js';
import { MemoryPersistenceAdapter } from './memory-persistence-adapter.js';

runPersistenceAdapterContract(
  'memory',
  async () => ({ newAdapter: () => new MemoryPersistenceAdapter(), setEpoch: async () => undefined, destroy: async () => undefined }),
  {
    skip: {
      reopen: 'a memory store lives and dies with its adapter (persistent="false"); nothing can reopen it',
      epoch: 'a memory store has no ACTIVEMQ_LOCK row to compare the epoch with; it checks fence.assertHeld() only',
    },
  },
);

function message(container: string, producerSeq: number | null = null): NewMessage {
  return { container, producerId: producerSeq === null ? null : 'P', producerSeq, expiration: 0, priority: 4, msg: new Uint8Array([1]) };
}

describe('MemoryPersistenceAdapter', () => {
  it('assigns increasing ids and recovers messages in id order after a given id', async () => {
    const store = new MemoryPersistenceAdapter();
    const { added } = await store.commit({ add: [message('queue://a'), message('queue://a'), message('queue://b')] });
    expect(added).toEqual([{ kind: 'stored', id: 1 }, { kind: 'stored', id: 2 }, { kind: 'stored', id: 3 }]);
    expect((await store.recover('queue://a', 1, 10)).map((m) => m.id)).toEqual([2]);
    expect(await store.containers()).toEqual(['queue://a', 'queue://b']);
  });

  it('removes acknowledged messages in the same batch as new ones', async () => {
    const store = new MemoryPersistenceAdapter();
    await store.commit({ add: [message('queue://a')] });
    await store.commit({ add: [message('queue://a')], remove: [1] });
    expect((await store.recover('queue://a', 0, 10)).map((m) => m.id)).toEqual([2]);
    expect((await store.counts()).get('queue://a')).toBe(1);
  });

  it('reports a producer id + sequence it already holds as a duplicate', async () => {
    const store = new MemoryPersistenceAdapter();
    await store.commit({ add: [message('queue://a', 1)] });
    const { added } = await store.commit({ add: [message('queue://a', 1), message('queue://a', 2)] });
    expect(added.map((a) => a.kind)).toEqual(['duplicate', 'stored']);
  });

  it('works without start() and refuses every operation after stop() until started again', async () => {
    const store = new MemoryPersistenceAdapter();
    await store.commit({ add: [message('queue://a')] });
    await store.stop();
    await expect(store.commit({ add: [message('queue://a')] })).rejects.toBeInstanceOf(StoreError);
    await expect(store.addSubscription({ container: 'topic://t', clientId: 'c', subName: 's', selector: null, subDest: 'topic://t', lastAckedId: 0 })).rejects.toBeInstanceOf(StoreError);
    await expect(store.counts()).rejects.toBeInstanceOf(StoreError);
    await store.start();
    expect((await store.counts()).get('queue://a')).toBe(1);
  });

  it('rejects every operation while failing, and every commit once its fence is no longer held', async () => {
    const store = new MemoryPersistenceAdapter();
    store.simulateFailure(true);
    await expect(store.commit({ add: [message('queue://a')] })).rejects.toBeInstanceOf(StoreError);
    await expect(store.containers()).rejects.toBeInstanceOf(StoreError);
    store.simulateFailure(false);
    store.setFence({ epoch: 1, assertHeld: () => { throw new FencedError('lease passed'); } });
    await expect(store.commit({ add: [message('queue://a')] })).rejects.toBeInstanceOf(FencedError);
  });
});
