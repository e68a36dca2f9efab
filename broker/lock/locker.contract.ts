import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Locker } from './locker.js';

export interface LockerFixtureOptions {
  failIfLocked?: boolean;
}

/** One store prepared for a test: lockers on it, and plain access to row 1 from another connection. */
export interface LockerFixture {
  /** A started locker; the fixture stops it in `cleanup`. */
  makeLocker(holderId: string, options?: LockerFixtureOptions): Promise<Locker>;
  /** `EPOCH` of row 1 read with a plain query on a connection of its own (so: committed). */
  readCommittedEpoch(): Promise<number>;
  /** Moves the lease in row 1 into the past, as if its holder had been paused (lease lockers). */
  expireLease(): Promise<void>;
  cleanup(): Promise<void>;
}

export interface LockerContractOptions {
  /** Lease lockers can lose the lock to another holder while running. */
  lease: boolean;
}

const settleWithin = <T>(promise: Promise<T>, ms: number): Promise<T | 'pending'> =>
  Promise.race([promise, new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), ms))]);

/** The Locker contract (docs/design.md, Lock and fencing invariants): every locker × store runs it. */
export function runLockerContract(name: string, makeFixture: () => Promise<LockerFixture>, options: LockerContractOptions): void {
  describe(`Locker contract: ${name}`, () => {
    let fixture: LockerFixture;
    let a: Locker;
    let b: Locker;
    const waiters: AbortController[] = [];

    const waitFor = (locker: Locker) => {
      const controller = new AbortController();
      waiters.push(controller);
      const promise = locker.acquire(controller.signal);
      promise.catch(() => undefined);
      return { controller, promise };
    };

    beforeEach(async () => {
      fixture = await makeFixture();
      a = await fixture.makeLocker('broker-a');
      b = await fixture.makeLocker('broker-b');
    });

    afterEach(async () => {
      for (const waiter of waiters.splice(0)) waiter.abort(new Error('test over'));
      await fixture.cleanup();
    });

    it('lets only one of two lockers acquire the lock', async () => {
      const acquired = await a.acquire(new AbortController().signal);
      expect(acquired.kind).toBe('acquired');
      const waiting = waitFor(b);
      expect(await settleWithin(waiting.promise, 300)).toBe('pending');
    });

    it('gives the lock to the waiting locker after the holder releases it', async () => {
      await a.acquire(new AbortController().signal);
      const waiting = waitFor(b);
      expect(await settleWithin(waiting.promise, 100)).toBe('pending');
      await a.release();
      const acquired = await waiting.promise;
      expect(acquired.kind).toBe('acquired');
      expect((await b.inspect()).holder).toBe('broker-b');
    });

    it('increments the epoch on every acquisition and commits it in row 1', async () => {
      const before = await fixture.readCommittedEpoch();
      const first = await a.acquire(new AbortController().signal);
      expect(first.epoch).toBe(before + 1);
      expect(await fixture.readCommittedEpoch()).toBe(first.epoch);
      await a.release();
      const second = await b.acquire(new AbortController().signal);
      expect(second.epoch).toBe(first.epoch + 1);
      expect(await fixture.readCommittedEpoch()).toBe(second.epoch);
      await b.release();
      const third = await a.acquire(new AbortController().signal);
      expect(third.epoch).toBe(second.epoch + 1);
    });

    it('renews the lock on keep-alive while it is held', async () => {
      const acquired = await a.acquire(new AbortController().signal);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const first = await a.keepAlive();
      const second = await a.keepAlive();
      expect(first.kind).toBe('renewed');
      expect(second.kind).toBe('renewed');
      if (options.lease && first.kind === 'renewed' && second.kind === 'renewed') {
        expect(first.leaseExpiresAt).not.toBeNull();
        expect(first.leaseExpiresAt ?? 0).toBeGreaterThan(acquired.leaseExpiresAt ?? Infinity);
        expect(second.leaseExpiresAt ?? 0).toBeGreaterThanOrEqual(first.leaseExpiresAt ?? Infinity);
      }
      expect((await b.inspect()).epoch).toBe(acquired.epoch);
    });

    it('reports lost on keep-alive once the lock was released', async () => {
      await a.acquire(new AbortController().signal);
      await a.release();
      expect((await a.keepAlive()).kind).toBe('lost');
    });

    it('rejects a waiting acquire with the reason when aborted, without waiting for the lock', async () => {
      await a.acquire(new AbortController().signal);
      const waiting = waitFor(b);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const reason = new Error('stop requested');
      waiting.controller.abort(reason);
      await expect(waiting.promise).rejects.toBe(reason);
      // Rejected while the other broker still holds the lock: the abort, not the lock, ended the wait.
      expect((await b.inspect()).holder).toBe(a.holderId);
      // The aborted waiter left nothing behind: after release, it can still acquire.
      await a.release();
      const again = await waitFor(b).promise;
      expect(again.kind).toBe('acquired');
    });

    it('makes release idempotent, also without an acquisition', async () => {
      await b.release();
      await a.acquire(new AbortController().signal);
      await a.release();
      await a.release();
      const acquired = await waitFor(b).promise;
      expect(acquired.kind).toBe('acquired');
    });

    it('reports holder, epoch and lease through inspect', async () => {
      expect((await a.inspect()).holder).toBeNull();
      const acquired = await a.acquire(new AbortController().signal);
      const state = await b.inspect();
      expect(state.holder).toBe('broker-a');
      expect(state.epoch).toBe(acquired.epoch);
      if (options.lease) expect(state.leaseExpiresAt).toBe(acquired.leaseExpiresAt);
      else expect(state.leaseExpiresAt).toBeNull();
      await a.release();
      expect((await b.inspect()).holder).toBeNull();
    });

    it('keeps start and stop idempotent', async () => {
      await a.start();
      await a.stop();
      await a.stop();
      await a.start();
      const acquired = await a.acquire(new AbortController().signal);
      expect(acquired.kind).toBe('acquired');
    });

    it('rejects acquire at once with failIfLocked while another broker holds the lock', async () => {
      await a.acquire(new AbortController().signal);
      const impatient = await fixture.makeLocker('broker-c', { failIfLocked: true });
      // A locker that waited instead would never settle here: the holder releases only afterwards.
      await expect(impatient.acquire(new AbortController().signal)).rejects.toThrow(/failIfLocked/);
      await a.release();
      expect((await impatient.acquire(new AbortController().signal)).kind).toBe('acquired');
    });

    if (options.lease) {
      it('shouldNotRenewLockAcquiredByOthers', async () => {
        await a.acquire(new AbortController().signal);
        await fixture.expireLease();
        const taken = await waitFor(b).promise;
        const result = await a.keepAlive();
        expect(result).toMatchObject({ kind: 'lost', holder: 'broker-b' });
        expect((await b.keepAlive()).kind).toBe('renewed');
        expect((await a.inspect()).epoch).toBe(taken.epoch);
      });

      it('takes back its own expired lease with a new epoch, fencing the older incarnation', async () => {
        const first = await a.acquire(new AbortController().signal);
        await fixture.expireLease();
        const restarted = await fixture.makeLocker('broker-a');
        const second = await restarted.acquire(new AbortController().signal);
        expect(second.epoch).toBe(first.epoch + 1);
        expect((await a.keepAlive()).kind).toBe('lost');
        expect((await restarted.keepAlive()).kind).toBe('renewed');
      });
    }
  });
}
