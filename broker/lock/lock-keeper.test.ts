import { describe, expect, it } from 'vitest';
import { createManualClock } from '../util/clock.js';
import { FencedError } from '../util/errors.js';
import { createMemoryLogger, silentLogger } from '../util/log.js';
import { LockKeeper, type ScheduleFn } from './lock-keeper.js';
import type { Locker, RenewResult } from './locker.js';

/** Timers driven by a ManualClock: `advance` fires due timers in order, `pause` jumps without firing. */
function createManualTime() {
  const clock = createManualClock();
  let timers: Array<{ at: number; callback: () => void }> = [];
  const schedule: ScheduleFn = (delayMs, callback) => {
    const timer = { at: clock.monotonic() + delayMs, callback };
    timers.push(timer);
    return () => {
      timers = timers.filter((t) => t !== timer);
    };
  };
  const flush = async () => {
    for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
  };
  return {
    clock,
    schedule,
    flush,
    async advance(ms: number) {
      const target = clock.monotonic() + ms;
      await flush();
      for (;;) {
        const due = timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at)[0];
        if (due === undefined) break;
        clock.advance(Math.max(0, due.at - clock.monotonic()));
        timers = timers.filter((t) => t !== due);
        due.callback();
        await flush();
      }
      clock.advance(target - clock.monotonic());
      await flush();
    },
    /** The process was stopped (SIGSTOP): time moves, nothing runs. */
    pause(ms: number) {
      clock.advance(ms);
    },
  };
}

/** A scripted Locker: keepAlive answers from `script`, then repeats `fallback`. */
function scriptedLocker(safeHoldMs: number | null, script: Array<RenewResult | Promise<RenewResult>>, fallback: RenewResult) {
  const calls: number[] = [];
  const locker: Locker = {
    kind: 'lease-database-locker',
    holderId: 'broker-a',
    safeHoldMs,
    start: async () => undefined,
    acquire: async () => ({ kind: 'acquired', epoch: 7, leaseExpiresAt: 1 }),
    keepAlive: async () => {
      calls.push(calls.length);
      return script.shift() ?? fallback;
    },
    release: async () => undefined,
    stop: async () => undefined,
    inspect: async () => ({ holder: 'broker-a', epoch: 7, leaseExpiresAt: 1 }),
  };
  return { locker, calls };
}

const renewed = (leaseExpiresAt: number | null = 1): RenewResult => ({ kind: 'renewed', leaseExpiresAt });
const unknown: RenewResult = { kind: 'unknown', error: new Error('database did not answer') };
const acquired = { kind: 'acquired' as const, epoch: 7, leaseExpiresAt: 1 };

// Deadlines below are exact: no safety margin unless a test sets one.
function makeKeeper(locker: Locker, time: ReturnType<typeof createManualTime>, renewPeriodMs: number, logger = silentLogger, safetyMarginMs = 0) {
  return new LockKeeper({ locker, clock: time.clock, logger, renewPeriodMs, retryIntervalMs: 50, schedule: time.schedule, safetyMarginMs });
}

describe('LockKeeper', () => {
  it('confirms the acquisition with one keep-alive, then renews every lockKeepAlivePeriod and stays held', async () => {
    const time = createManualTime();
    const { locker, calls } = scriptedLocker(1000, [], renewed(5));
    const keeper = makeKeeper(locker, time, 300);
    await keeper.start(acquired);
    expect(keeper.isHeld()).toBe(true);
    await time.advance(3000);
    expect(calls.length).toBe(11);
    expect(keeper.isHeld()).toBe(true);
    expect(keeper.leaseExpiresAt).toBe(5);
    expect(keeper.fence().epoch).toBe(7);
    keeper.fence().assertHeld();
    await keeper.stop();
  });

  it('declares the lock lost at once when a keep-alive says lost, and the fence then throws', async () => {
    const time = createManualTime();
    const logger = createMemoryLogger();
    const { locker } = scriptedLocker(1000, [renewed(), { kind: 'lost', reason: 'lease taken', holder: 'broker-b' }], renewed());
    const keeper = makeKeeper(locker, time, 300, logger);
    const reasons: string[] = [];
    keeper.onLost((reason) => reasons.push(reason));
    await keeper.start(acquired);
    const fence = keeper.fence();
    await time.advance(300);
    expect(reasons).toEqual(['lease taken (holder broker-b)']);
    expect(keeper.isHeld()).toBe(false);
    expect(() => fence.assertHeld()).toThrow(FencedError);
    expect(logger.lines.some((l) => String(l.msg).includes('no longer able to keep the exclusive lock'))).toBe(true);
    await keeper.stop();
  });

  it('retries an unknown keep-alive until the local deadline, then declares the lock lost', async () => {
    const time = createManualTime();
    const { locker, calls } = scriptedLocker(1000, [renewed()], unknown);
    const keeper = makeKeeper(locker, time, 300);
    const reasons: string[] = [];
    keeper.onLost((reason) => reasons.push(reason));
    await keeper.start(acquired);
    await time.advance(999);
    expect(keeper.isHeld()).toBe(true);
    expect(calls.length).toBeGreaterThan(5);
    await time.advance(1);
    expect(keeper.isHeld()).toBe(false);
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toContain('deadline');
  });

  it('keeps the lock when a renewal succeeds after unknown outcomes, extending the deadline', async () => {
    const time = createManualTime();
    const { locker } = scriptedLocker(1000, [renewed(), unknown, unknown, unknown], renewed());
    const keeper = makeKeeper(locker, time, 300);
    await keeper.start(acquired);
    await time.advance(5000);
    expect(keeper.isHeld()).toBe(true);
    await keeper.stop();
  });

  it('fences a paused process on waking, before any keep-alive runs', async () => {
    const time = createManualTime();
    const { locker, calls } = scriptedLocker(1000, [], renewed());
    const keeper = makeKeeper(locker, time, 300);
    const reasons: string[] = [];
    keeper.onLost((reason) => reasons.push(reason));
    await keeper.start(acquired);
    const fence = keeper.fence();
    const callsBefore = calls.length;
    time.pause(5000);
    expect(() => fence.assertHeld()).toThrow(FencedError);
    expect(reasons).toHaveLength(1);
    await time.advance(1000);
    expect(calls.length).toBe(callsBefore);
  });

  it('measures the deadline from the start of the keep-alive, not from its answer', async () => {
    const time = createManualTime();
    let answer!: (result: RenewResult) => void;
    const slow = new Promise<RenewResult>((resolve) => {
      answer = resolve;
    });
    const { locker } = scriptedLocker(1000, [renewed(), slow], unknown);
    const keeper = makeKeeper(locker, time, 300);
    await keeper.start(acquired);
    await time.advance(300);
    await time.advance(400);
    answer(renewed());
    await time.flush();
    // Renewal started at 300 → deadline 1300, although it was confirmed at 700.
    await time.advance(599);
    expect(keeper.isHeld()).toBe(true);
    await time.advance(1);
    expect(keeper.isHeld()).toBe(false);
  });

  it('never loses a lock without a safe hold time (held by the OS) on unknown outcomes', async () => {
    const time = createManualTime();
    const { locker } = scriptedLocker(null, [renewed(null)], unknown);
    const keeper = makeKeeper(locker, time, 300);
    await keeper.start(acquired);
    await time.advance(60_000);
    expect(keeper.isHeld()).toBe(true);
    expect(keeper.leaseExpiresAt).toBeNull();
    await keeper.stop();
  });

  it('rejects start when the confirming keep-alive says lost', async () => {
    const time = createManualTime();
    const { locker } = scriptedLocker(1000, [{ kind: 'lost', reason: 'taken', holder: 'broker-b' }], renewed());
    const keeper = makeKeeper(locker, time, 300);
    await expect(keeper.start(acquired)).rejects.toThrow(/lost before it was confirmed/);
    expect(keeper.isHeld()).toBe(false);
  });

  it('stops keeping alive on stop, is idempotent, and reports no loss afterwards', async () => {
    const time = createManualTime();
    const { locker, calls } = scriptedLocker(1000, [], renewed());
    const keeper = makeKeeper(locker, time, 300);
    const reasons: string[] = [];
    keeper.onLost((reason) => reasons.push(reason));
    await keeper.start(acquired);
    await keeper.start(acquired);
    expect(calls.length).toBe(1);
    await keeper.stop();
    await keeper.stop();
    await time.advance(5000);
    expect(calls.length).toBe(1);
    expect(reasons).toEqual([]);
    expect(() => keeper.fence().assertHeld()).toThrow(FencedError);
    await expect(keeper.start(acquired)).rejects.toThrow(/stopped/);
  });

  it('lets a lease run out when lockKeepAlivePeriod is 0 (no renewals)', async () => {
    const time = createManualTime();
    const { locker, calls } = scriptedLocker(1000, [], renewed());
    const keeper = makeKeeper(locker, time, 0);
    await keeper.start(acquired);
    await time.advance(999);
    expect(keeper.isHeld()).toBe(true);
    await time.advance(1);
    expect(keeper.isHeld()).toBe(false);
    expect(calls.length).toBe(1);
  });
  it('declares the lock lost a safety margin before safeHoldMs, so the old master steps down before another broker can take it', async () => {
    const time = createManualTime();
    const { locker } = scriptedLocker(1000, [renewed()], unknown);
    const keeper = makeKeeper(locker, time, 300, silentLogger, 100);
    await keeper.start(acquired);
    await time.advance(899);
    expect(keeper.isHeld()).toBe(true);
    await time.advance(2);
    expect(keeper.isHeld()).toBe(false);
  });
});
