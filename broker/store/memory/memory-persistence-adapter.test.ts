import { describe, expect, it } from 'vitest';
import { FencedError, StoreError } from '../../util/errors.js';
import type { NewMessage } from '../persistence-adapter.js';
import { MemoryPersistenceAdapter } from './memory-persistence-adapter.js';

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
