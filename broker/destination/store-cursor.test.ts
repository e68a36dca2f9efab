import { describe, expect, it } from 'vitest';
import { MemoryPersistenceAdapter } from '../store/memory/memory-persistence-adapter.js';
import { destinationName } from './destination-name.js';
import type { BrokerMessage } from './message.js';
import { StoreCursor } from './store-cursor.js';

const QUEUE = destinationName('queue', 'q');

function message(storeId: number): BrokerMessage {
  return {
    messageId: `ID:m-${storeId}`,
    destination: QUEUE,
    persistent: true,
    priority: 4,
    expires: 0,
    timestamp: 0,
    properties: [],
    body: Buffer.from(String(storeId)),
    bytesMessage: false,
    storeId,
    producerId: null,
    producerSeq: null,
    redeliveryCounter: 0,
    seq: storeId,
  };
}

/** A real memory store behind a cursor; `held` is the queue's window, `taken` what consumers got. */
function setup(maxPageSize: number) {
  const store = new MemoryPersistenceAdapter();
  const held: number[] = [];
  const taken: number[] = [];
  let reads = 0;
  let applied: () => void = () => {};
  const cursor = new StoreCursor(
    maxPageSize,
    async (afterId, limit) => {
      reads++;
      return (await store.recover(QUEUE.container, afterId, limit)).map((row) => ({ id: row.id, message: message(row.id) }));
    },
    () => held.length,
    (messages) => {
      for (const m of messages) held.push(m.storeId as number);
      applied();
    },
  );
  return {
    store,
    cursor,
    held,
    taken,
    reads: () => reads,
    /** Commits one message for the queue; the cursor is told it started, not that it resolved. */
    async commit(): Promise<number> {
      cursor.expectStored();
      const result = await store.commit({ add: [{ container: QUEUE.container, producerId: null, producerSeq: null, expiration: 0, priority: 4, msg: new Uint8Array() }] });
      const added = result.added[0];
      if (added?.kind !== 'stored') throw new Error('not stored');
      return added.id;
    },
    /** The publish step: held when the cursor admits it. */
    publish(id: number): void {
      if (cursor.admit(message(id))) held.push(id);
    },
    /** Runs `action`; resolves once the page read it started (if any) was applied. */
    async settle(action: () => void): Promise<void> {
      const page = new Promise<void>((resolve) => (applied = resolve));
      const before = reads;
      action();
      if (reads > before) await page;
    },
    /** Consumers take everything held, then the cursor may read the next page. */
    drain(): Promise<void> {
      return this.settle(() => {
        taken.push(...held.splice(0));
        cursor.wake();
      });
    },
  };
}

describe('StoreCursor (paging persistent queue messages, ActiveMQ StoreQueueCursor)', () => {
  it('holds at most a page and reads the paged-out tail back in id order, each message once', async () => {
    const q = setup(3);
    for (let i = 0; i < 10; i++) {
      const id = await q.commit();
      q.cursor.stored(id);
      q.publish(id);
    }
    expect(q.held).toEqual([1, 2, 3]);
    expect(q.cursor.pagedOutCount).toBe(7);
    while (q.held.length > 0 || q.cursor.hasPagedOut) await q.drain();
    expect(q.taken).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(q.cursor.pagedOutCount).toBe(0);
  });

  it('a message published after a page read already brought it in is not held again', async () => {
    const q = setup(2);
    for (let i = 0; i < 3; i++) {
      const id = await q.commit();
      q.cursor.stored(id);
      q.publish(id);
    }
    const late = await q.commit();
    q.cursor.stored(late);
    await q.drain();
    expect(q.held).toEqual([3, 4]);
    q.publish(late);
    expect(q.held).toEqual([3, 4]);
  });

  it('a page read that meets a row whose commit is not yet announced stops there and resumes on the announcement', async () => {
    const q = setup(2);
    for (let i = 0; i < 3; i++) {
      const id = await q.commit();
      q.cursor.stored(id);
      q.publish(id);
    }
    const unannounced = await q.commit();
    await q.drain();
    expect(q.held).toEqual([3]);
    await q.settle(() => q.cursor.stored(unannounced));
    q.publish(unannounced);
    expect(q.held).toEqual([3, 4]);
    expect(q.taken).toEqual([1, 2]);
  });

  it('a message published out of id order while nothing is paged out is held, not lost', async () => {
    const q = setup(10);
    const first = await q.commit();
    const second = await q.commit();
    q.cursor.stored(first);
    q.cursor.stored(second);
    q.publish(second);
    q.publish(first);
    expect(q.held.sort()).toEqual([first, second]);
    await q.drain();
    expect(q.reads()).toBe(0);
  });

  it('recovery reads only the first page and counts the rest as paged out', async () => {
    const q = setup(4);
    for (let i = 0; i < 9; i++) q.cursor.stored(await q.commit());
    const recovering = new StoreCursor(
      4,
      async (afterId, limit) => (await q.store.recover(QUEUE.container, afterId, limit)).map((r) => ({ id: r.id, message: message(r.id) })),
      () => 0,
      () => {},
    );
    expect((await recovering.recoverFirstPage(9)).map((m) => m.storeId)).toEqual([1, 2, 3, 4]);
    expect(recovering.hasPagedOut).toBe(true);
    expect(recovering.pagedOutCount).toBe(5);
  });
});
