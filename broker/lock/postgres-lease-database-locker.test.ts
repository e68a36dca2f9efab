import { describe, expect, it } from 'vitest';
import { createSystemClock } from '../util/clock.js';
import { FencedError } from '../util/errors.js';
import { createMemoryLogger, silentLogger, type Logger } from '../util/log.js';
import { runLockerContract } from './locker.contract.js';
import { LockKeeper } from './lock-keeper.js';
import { startCuttableProxy } from './link-proxy.fixture.js';
import { PostgresLeaseDatabaseLocker } from './postgres-lease-database-locker.js';
import { createPostgresLockerFixture } from './postgres-locker.fixture.js';
import type { PostgresTarget } from './postgres-session.js';

const LEASE_MS = 600;

const makeLocker = (target: PostgresTarget, holderId: string, options: { offsetMs?: number; logger?: Logger; maxDiffMs?: number; failIfLocked?: boolean } = {}) =>
  new PostgresLeaseDatabaseLocker({
    target,
    leaseHolderId: holderId,
    clock: createSystemClock(options.offsetMs ?? 0),
    logger: options.logger ?? silentLogger,
    leaseDurationMs: LEASE_MS,
    retryIntervalMs: LEASE_MS,
    maxAllowableDiffFromDbTimeMs: options.maxDiffMs ?? 0,
    failIfLocked: options.failIfLocked ?? false,
  });

runLockerContract('PostgreSQL lease-database-locker', () => createPostgresLockerFixture((target, id, options) => makeLocker(target, id, options)), {
  lease: true,
});

describe('PostgresLeaseDatabaseLocker', () => {
  it('fences a master cut off from the database before its lease can be taken', async () => {
    const fixture = await createPostgresLockerFixture((target, id) => makeLocker(target, id));
    const proxy = await startCuttableProxy(fixture.target.host, fixture.target.port);
    const cutOff = makeLocker({ ...fixture.target, host: '127.0.0.1', port: proxy.port }, 'broker-a');
    // The keeper's first confirmed renewal, observed on the locker it calls (the cut comes after it).
    let renewed!: () => void;
    const firstRenewal = new Promise<void>((resolve) => (renewed = resolve));
    const keepAlive = cutOff.keepAlive.bind(cutOff);
    cutOff.keepAlive = async () => {
      const result = await keepAlive();
      if (result.kind === 'renewed') renewed();
      return result;
    };
    const keeper = new LockKeeper({ locker: cutOff, clock: createSystemClock(), logger: silentLogger, renewPeriodMs: 200 });
    try {
      const waiter = await fixture.makeLocker('broker-b');
      await cutOff.start();
      await keeper.start(await cutOff.acquire(new AbortController().signal));
      const fence = keeper.fence();
      const reasons: string[] = [];
      keeper.onLost((reason) => reasons.push(reason));
      await firstRenewal;
      proxy.cut();
      await waiter.acquire(new AbortController().signal);
      // The moment another broker holds the lease, the cut-off master can no longer commit.
      expect(() => fence.assertHeld()).toThrow(FencedError);
      expect(reasons).toHaveLength(1);
    } finally {
      await keeper.stop();
      await proxy.close();
      await cutOff.stop();
      await fixture.cleanup();
    }
  });

  it('uses the database clock, so a skewed local clock neither steals nor shortens a lease', async () => {
    const fixture = await createPostgresLockerFixture((target, id) => makeLocker(target, id, { offsetMs: id === 'broker-b' ? 60_000 : 0 }));
    try {
      const a = await fixture.makeLocker('broker-a');
      const b = await fixture.makeLocker('broker-b');
      const first = await a.acquire(new AbortController().signal);
      const second = await b.acquire(new AbortController().signal);
      // By the database's clock b obtained its lease no earlier than a's ran out: the skew stole nothing.
      expect((second.leaseExpiresAt ?? 0) - LEASE_MS).toBeGreaterThanOrEqual(first.leaseExpiresAt ?? Infinity);
      expect(second.epoch).toBe(first.epoch + 1);
      expect(Math.abs((first.leaseExpiresAt ?? 0) - (Date.now() + LEASE_MS))).toBeLessThan(60_000);
    } finally {
      await fixture.cleanup();
    }
  });

  it('logs when local time differs from the database time by more than maxAllowableDiffFromDBTime', async () => {
    const logger = createMemoryLogger();
    const fixture = await createPostgresLockerFixture((target, id) => makeLocker(target, id, { offsetMs: 5000, logger, maxDiffMs: 1000 }));
    try {
      await fixture.makeLocker('broker-a');
      const line = logger.lines.find((l) => String(l.msg).includes('maxAllowableDiffFromDBTime'));
      expect(line?.level).toBe('warn');
      expect(Number(line?.diffMs)).toBeGreaterThan(4000);
    } finally {
      await fixture.cleanup();
    }
  });

  it('creates the lock table when three lockers start at the same moment', async () => {
    const fixture = await createPostgresLockerFixture((target, id) => makeLocker(target, id));
    try {
      const lockers = await Promise.all(['x', 'y', 'z'].map((id) => fixture.makeLocker(id)));
      expect((await lockers[0]!.inspect()).epoch).toBe(0);
    } finally {
      await fixture.cleanup();
    }
  });
});
