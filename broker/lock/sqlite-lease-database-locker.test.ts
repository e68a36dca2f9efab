import { describe, expect, it } from 'vitest';
import { createSystemClock } from '../util/clock.js';
import { silentLogger } from '../util/log.js';
import { runLockerContract, type LockerFixtureOptions } from './locker.contract.js';
import { SqliteLeaseDatabaseLocker } from './sqlite-lease-database-locker.js';
import { createSqliteLockerFixture } from './sqlite-locker.fixture.js';

const LEASE_MS = 600;

const makeLocker = (storeFile: string, holderId: string, offsetMs = 0, options: LockerFixtureOptions = {}) =>
  new SqliteLeaseDatabaseLocker({
    storeFile,
    leaseHolderId: holderId,
    clock: createSystemClock(offsetMs),
    logger: silentLogger,
    leaseDurationMs: LEASE_MS,
    retryIntervalMs: LEASE_MS,
    ...options,
  });

runLockerContract('SQLite lease-database-locker', async () => createSqliteLockerFixture((file, id, options) => makeLocker(file, id, 0, options)), {
  lease: true,
});

describe('SqliteLeaseDatabaseLocker', () => {
  it('takes the lease once it expired without a renewal, and offers safeHoldMs = the lease length', async () => {
    const fixture = createSqliteLockerFixture((file, id) => makeLocker(file, id));
    try {
      const a = await fixture.makeLocker('broker-a');
      const b = await fixture.makeLocker('broker-b');
      expect(a.safeHoldMs).toBe(LEASE_MS);
      const first = await a.acquire(new AbortController().signal);
      const second = await b.acquire(new AbortController().signal);
      // b obtained its lease (expiry - length) no earlier than a's ran out, on the one clock they share.
      expect((second.leaseExpiresAt ?? 0) - LEASE_MS).toBeGreaterThanOrEqual(first.leaseExpiresAt ?? Infinity);
      expect(second.epoch).toBe(first.epoch + 1);
    } finally {
      await fixture.cleanup();
    }
  });

  it('computes the lease from its own clock, so a clock running ahead steals a live lease', async () => {
    const fixture = createSqliteLockerFixture((file, id) => makeLocker(file, id, id === 'broker-b' ? 10_000 : 0));
    try {
      const a = await fixture.makeLocker('broker-a');
      const b = await fixture.makeLocker('broker-b');
      const first = await a.acquire(new AbortController().signal);
      const second = await b.acquire(new AbortController().signal);
      // b obtained at (its expiry - length) by its clock, 10 s ahead of a's: before a's lease ran out.
      expect((second.leaseExpiresAt ?? Infinity) - LEASE_MS - 10_000).toBeLessThan(first.leaseExpiresAt ?? 0);
      expect((await a.keepAlive()).kind).toBe('lost');
    } finally {
      await fixture.cleanup();
    }
  });
});
