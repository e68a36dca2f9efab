import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Fence } from '../lock/locker.js';
import { FencedError, StoreError } from '../util/errors.js';
import type { NewMessage, PersistenceAdapter } from './persistence-adapter.js';

/** One test's store: every `newAdapter()` opens the same file / schema, so reopening can be tested. */
export interface ContractStore {
  newAdapter(): PersistenceAdapter;
  /** Writes `EPOCH` of `ACTIVEMQ_LOCK` row 1, as a locker taking the lock would. */
  setEpoch(epoch: number): Promise<void>;
  destroy(): Promise<void>;
}

/**
 * Cases a store cannot meet by its nature, each with the reason it gives (shown in the skipped title):
 * `reopen` for a store that nothing outlives (a second adapter cannot open it), `epoch` for one
 * without an `ACTIVEMQ_LOCK` table (it can only ask `fence.assertHeld()`).
 */
export interface ContractOptions {
  skip?: Partial<Record<'reopen' | 'epoch', string>>;
}

const fenceAt = (epoch: number, assertHeld: () => void = () => undefined): Fence => ({ epoch, assertHeld });

let sequence = 0;
function message(container: string, overrides: Partial<NewMessage> = {}): NewMessage {
  sequence += 1;
  return {
    container,
    producerId: null,
    producerSeq: null,
    expiration: 0,
    priority: 4,
    msg: new TextEncoder().encode(`body ${sequence}`),
    ...overrides,
  };
}

function storedIds(results: Array<{ added: Array<{ kind: string; id?: number }> }>): number[] {
  return results.flatMap((r) => r.added.map((a) => (a.kind === 'stored' ? (a.id as number) : -1)));
}

const bodies = (messages: ReadonlyArray<{ msg: Uint8Array }>) => messages.map((m) => new TextDecoder().decode(m.msg));

export function runPersistenceAdapterContract(name: string, makeStore: () => Promise<ContractStore>, options: ContractOptions = {}): void {
  /** `it`, or a skip whose title carries the reason the store gave. */
  const needs = (capability: 'reopen' | 'epoch') => {
    const reason = options.skip?.[capability];
    return reason === undefined ? it : (title: string, body: () => Promise<void>) => it.skip(`${title} [skipped: ${reason}]`, body);
  };
  describe(`PersistenceAdapter contract: ${name}`, () => {
    let store: ContractStore;
    let adapter: PersistenceAdapter;
    const opened: PersistenceAdapter[] = [];

    async function reopen(): Promise<PersistenceAdapter> {
      const next = store.newAdapter();
      opened.push(next);
      await next.start();
      return next;
    }

    beforeEach(async () => {
      store = await makeStore();
      adapter = await reopen();
    });

    afterEach(async () => {
      for (const a of opened.splice(0)) await a.stop();
      await store.destroy();
    });

    it('recovers the messages of each container in id order with every field as stored', async () => {
      const a1 = message('queue://A', { producerId: 'p1', producerSeq: 1, expiration: 1234, priority: 9 });
      const b1 = message('queue://B');
      const a2 = message('queue://A');
      const result = await adapter.commit({ add: [a1, b1, a2] });
      const [ida1, idb1, ida2] = storedIds([result]);
      const a = await adapter.recover('queue://A', 0, 100);
      expect(a.map((m) => m.id)).toEqual([ida1, ida2]);
      expect(a[0]).toMatchObject({ container: 'queue://A', producerId: 'p1', producerSeq: 1, expiration: 1234, priority: 9 });
      expect(bodies(a)).toEqual(bodies([a1, a2]));
      expect((await adapter.recover('queue://B', 0, 100)).map((m) => m.id)).toEqual([idb1]);
    });

    it('recovers only ids above afterId and at most limit messages', async () => {
      const ids = storedIds([await adapter.commit({ add: [1, 2, 3, 4, 5].map(() => message('queue://A')) })]);
      const page = await adapter.recover('queue://A', ids[1] as number, 2);
      expect(page.map((m) => m.id)).toEqual([ids[2], ids[3]]);
    });

    it('assigns increasing ids and never reuses one, even after the newest was deleted', async () => {
      const first = storedIds([await adapter.commit({ add: [message('queue://A'), message('queue://A')] })]);
      expect(first[1]).toBeGreaterThan(first[0] as number);
      await adapter.commit({ remove: first });
      const later = storedIds([await adapter.commit({ add: [message('queue://A')] })]);
      expect(later[0]).toBeGreaterThan(first[1] as number);
    });

    needs('reopen')('a reopened store hands out ids above every id it handed out before', async () => {
      const [last] = storedIds([await adapter.commit({ add: [message('queue://A')] })]);
      await adapter.commit({ remove: [last as number] });
      const afterReopen = storedIds([await (await reopen()).commit({ add: [message('queue://A')] })]);
      expect(afterReopen[0]).toBeGreaterThan(last as number);
    });

    it('removes acknowledged messages and reflects them in counts and containers', async () => {
      const ids = storedIds([await adapter.commit({ add: [message('queue://A'), message('queue://A'), message('queue://B')] })]);
      await adapter.commit({ remove: [ids[0] as number] });
      expect((await adapter.recover('queue://A', 0, 10)).map((m) => m.id)).toEqual([ids[1]]);
      expect(Object.fromEntries(await adapter.counts())).toEqual({ 'queue://A': 1, 'queue://B': 1 });
      await adapter.commit({ remove: [ids[1] as number, ids[2] as number] });
      expect(await adapter.containers()).toEqual([]);
    });

    it('adds, lists and removes durable subscriptions and only moves LAST_ACKED_ID forward', async () => {
      const sub = { container: 'topic://T', clientId: 'c1', subName: 's1', selector: "color = 'red'", subDest: 'topic://T.>', lastAckedId: 0 };
      await adapter.addSubscription(sub);
      await adapter.addSubscription({ ...sub, subName: 's2', selector: null, subDest: 'topic://T' });
      expect(await adapter.containers()).toEqual(['topic://T']);
      await adapter.commit({ durableAcks: [{ container: 'topic://T', clientId: 'c1', subName: 's1', lastAckedId: 7 }] });
      await adapter.commit({ durableAcks: [{ container: 'topic://T', clientId: 'c1', subName: 's1', lastAckedId: 3 }] });
      const subs = await adapter.subscriptions();
      expect(subs).toHaveLength(2);
      expect(subs.find((s) => s.subName === 's1')).toEqual({ ...sub, lastAckedId: 7 });
      await adapter.removeSubscription('topic://T', 'c1', 's2');
      expect((await adapter.subscriptions()).map((s) => s.subName)).toEqual(['s1']);
    });

    it('stores a producer sequence once and reports a resend as duplicate, even after it was consumed', async () => {
      const first = await adapter.commit({ add: [message('queue://A', { producerId: 'ID:p', producerSeq: 1 })] });
      expect(first.added[0]?.kind).toBe('stored');
      const resendSameGroup = await Promise.all([
        adapter.commit({ add: [message('queue://A', { producerId: 'ID:p', producerSeq: 2 })] }),
        adapter.commit({ add: [message('queue://A', { producerId: 'ID:p', producerSeq: 2 })] }),
      ]);
      expect(resendSameGroup.map((r) => r.added[0]?.kind)).toEqual(['stored', 'duplicate']);
      await adapter.commit({ remove: storedIds([first]) });
      const resend = await adapter.commit({
        add: [message('queue://A', { producerId: 'ID:p', producerSeq: 1 }), message('queue://A', { producerId: 'ID:q', producerSeq: 1 })],
      });
      expect(resend.added.map((a) => a.kind)).toEqual(['duplicate', 'stored']);
      expect((await adapter.counts()).get('queue://A')).toBe(2);
    });

    needs('reopen')('a second adapter open on the same store sees the producer audit the first one wrote', async () => {
      await adapter.commit({ add: [message('queue://A', { producerId: 'ID:p', producerSeq: 2 })] });
      const fresh = await (await reopen()).commit({ add: [message('queue://A', { producerId: 'ID:p', producerSeq: 2 })] });
      expect(fresh.added[0]?.kind).toBe('duplicate');
      expect((await adapter.counts()).get('queue://A')).toBe(1);
    });

    it('treats any sequence at or below the highest stored one of a producer as a duplicate', async () => {
      await adapter.commit({ add: [message('queue://A', { producerId: 'ID:h', producerSeq: 5 })] });
      const r = await adapter.commit({
        add: [3, 5, 6].map((seq) => message('queue://A', { producerId: 'ID:h', producerSeq: seq })),
      });
      expect(r.added.map((a) => a.kind)).toEqual(['duplicate', 'duplicate', 'stored']);
    });

    it('never deduplicates messages without a producer id', async () => {
      const r = await adapter.commit({ add: [message('queue://A'), message('queue://A')] });
      expect(r.added.map((a) => a.kind)).toEqual(['stored', 'stored']);
    });

    it('commits a batch atomically: a bad message stores none of its batch and spares the rest of the group', async () => {
      const [kept] = storedIds([await adapter.commit({ add: [message('queue://A')] })]);
      const bad = { ...message('queue://A'), container: null as unknown as string };
      const [good, failed] = await Promise.allSettled([
        adapter.commit({ add: [message('queue://B')] }),
        adapter.commit({ add: [message('queue://A', { producerId: 'ID:x', producerSeq: 1 }), bad], remove: [kept as number] }),
      ]);
      expect(good.status).toBe('fulfilled');
      expect(failed.status === 'rejected' && failed.reason).toBeInstanceOf(StoreError);
      expect((await adapter.recover('queue://A', 0, 10)).map((m) => m.id)).toEqual([kept]);
      const retry = await adapter.commit({ add: [message('queue://A', { producerId: 'ID:x', producerSeq: 1 })] });
      expect(retry.added[0]?.kind).toBe('stored');
    });

    it('group-commits 200 concurrent commits: all resolve and all are stored', async () => {
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) => adapter.commit({ add: [message(`queue://G${i % 3}`, { producerId: `ID:g${i % 7}`, producerSeq: i })] })),
      );
      const ids = storedIds(results);
      expect(ids.every((id) => id > 0)).toBe(true);
      expect(new Set(ids).size).toBe(200);
      const counts = await adapter.counts();
      expect((counts.get('queue://G0') ?? 0) + (counts.get('queue://G1') ?? 0) + (counts.get('queue://G2') ?? 0)).toBe(200);
    });

    needs('epoch')('rejects a commit with a stale epoch with FencedError and stores nothing', async () => {
      await store.setEpoch(3);
      const [kept] = storedIds([await adapter.commit({ add: [message('queue://A')] })]);
      adapter.setFence(fenceAt(2));
      const settled = await Promise.allSettled([
        adapter.commit({ add: [message('queue://A')] }),
        adapter.commit({ remove: [kept as number] }),
        adapter.addSubscription({ container: 'topic://T', clientId: 'c', subName: 's', selector: null, subDest: 'topic://T', lastAckedId: 0 }),
      ]);
      for (const s of settled) expect(s.status === 'rejected' && s.reason).toBeInstanceOf(FencedError);
      expect((await adapter.recover('queue://A', 0, 10)).map((m) => m.id)).toEqual([kept]);
      expect(await adapter.subscriptions()).toEqual([]);
      adapter.setFence(fenceAt(3));
      expect((await adapter.commit({ add: [message('queue://A')] })).added[0]?.kind).toBe('stored');
    });

    it('rejects a commit whose fence no longer holds the lock, before writing anything', async () => {
      await store.setEpoch(1);
      adapter.setFence(
        fenceAt(1, () => {
          throw new FencedError('lease deadline passed');
        }),
      );
      await expect(adapter.commit({ add: [message('queue://A')] })).rejects.toBeInstanceOf(FencedError);
      adapter.setFence(null);
      expect(await adapter.containers()).toEqual([]);
    });

    it('rejects every operation with StoreError while a database failure is simulated', async () => {
      adapter.simulateFailure(true);
      await expect(adapter.commit({ add: [message('queue://A')] })).rejects.toBeInstanceOf(StoreError);
      await expect(adapter.recover('queue://A', 0, 10)).rejects.toBeInstanceOf(StoreError);
      await expect(adapter.containers()).rejects.toBeInstanceOf(StoreError);
      await expect(adapter.counts()).rejects.toBeInstanceOf(StoreError);
      await expect(adapter.subscriptions()).rejects.toBeInstanceOf(StoreError);
      adapter.simulateFailure(false);
      expect(await adapter.containers()).toEqual([]);
    });

    it('stop waits for in-flight commits, then refuses new ones', async () => {
      const inFlight = Array.from({ length: 50 }, () => adapter.commit({ add: [message('queue://A')] }));
      await adapter.stop();
      expect(storedIds(await Promise.all(inFlight))).toHaveLength(50);
      await expect(adapter.commit({ add: [message('queue://A')] })).rejects.toBeInstanceOf(StoreError);
    });

    needs('reopen')('a commit that resolved before stop is there when the store is reopened', async () => {
      const inFlight = Array.from({ length: 50 }, () => adapter.commit({ add: [message('queue://A')] }));
      await adapter.stop();
      await Promise.all(inFlight);
      expect((await (await reopen()).counts()).get('queue://A')).toBe(50);
    });

    it('treats repeated and concurrent start and stop calls as one', async () => {
      await Promise.all([adapter.start(), adapter.start()]);
      await Promise.all([adapter.stop(), adapter.stop()]);
      await adapter.stop();
      await adapter.start();
      expect(await adapter.containers()).toEqual([]);
    });

    needs('reopen')('a new adapter on the same store recovers messages, subscriptions and the producer audit', async () => {
      await adapter.addSubscription({ container: 'topic://T', clientId: 'c', subName: 's', selector: null, subDest: 'topic://T', lastAckedId: 0 });
      const ids = storedIds([await adapter.commit({ add: [message('queue://A', { producerId: 'ID:r', producerSeq: 5 }), message('topic://T')] })]);
      await adapter.stop();
      const next = await reopen();
      expect(await next.containers()).toEqual(['queue://A', 'topic://T']);
      expect((await next.recover('queue://A', 0, 10)).map((m) => m.id)).toEqual([ids[0]]);
      expect((await next.subscriptions()).map((s) => s.subName)).toEqual(['s']);
      const again = await next.commit({ add: [message('queue://A', { producerId: 'ID:r', producerSeq: 5 })] });
      expect(again.added[0]?.kind).toBe('duplicate');
    });
  });
}
