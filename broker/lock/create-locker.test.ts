import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LockerKind, PersistenceConfig, StoreTarget } from '../config/broker-config.js';
import { createSystemClock } from '../util/clock.js';
import { silentLogger } from '../util/log.js';
import { createLocker } from './create-locker.js';
import { PostgresDatabaseLocker } from './postgres-database-locker.js';
import { PostgresLeaseDatabaseLocker } from './postgres-lease-database-locker.js';
import { SqliteDatabaseLocker } from './sqlite-database-locker.js';
import { SqliteLeaseDatabaseLocker } from './sqlite-lease-database-locker.js';
import { freshPostgresTarget } from './postgres-locker.fixture.js';

function persistence(store: StoreTarget, kind: LockerKind, leaseHolderId: string | null = null): PersistenceConfig {
  return {
    store,
    lockKeepAlivePeriodMs: 1000,
    createTablesOnStartup: true,
    useLock: true,
    locker: { kind, lockAcquireSleepIntervalMs: 2000, leaseHolderId, maxAllowableDiffFromDbTimeMs: 0, failIfLocked: false },
  };
}

const ctx = { brokerName: 'broker1', clock: createSystemClock(), logger: silentLogger };

describe('createLocker', () => {
  it('builds the locker the config names, for each store', async () => {
    const sqlite: StoreTarget = { kind: 'sqlite', file: '/tmp/none.db', origin: 'sqlite' };
    const postgres = freshPostgresTarget();
    expect(await createLocker(persistence(sqlite, 'database-locker'), ctx)).toBeInstanceOf(SqliteDatabaseLocker);
    expect(await createLocker(persistence(sqlite, 'lease-database-locker'), ctx)).toBeInstanceOf(SqliteLeaseDatabaseLocker);
    expect(await createLocker(persistence(postgres, 'database-locker'), ctx)).toBeInstanceOf(PostgresDatabaseLocker);
    expect(await createLocker(persistence(postgres, 'lease-database-locker'), ctx)).toBeInstanceOf(PostgresLeaseDatabaseLocker);
  });

  it('maps lockAcquireSleepInterval to the lease length and lockKeepAlivePeriod to the PostgreSQL idle timeout', async () => {
    const postgres = freshPostgresTarget();
    expect((await createLocker(persistence(postgres, 'lease-database-locker'), ctx)).safeHoldMs).toBe(2000);
    expect((await createLocker(persistence(postgres, 'database-locker'), ctx)).safeHoldMs).toBe(3000);
    expect((await createLocker(persistence(postgres, 'database-locker'), { ...ctx, idleTimeoutKeepAlives: 5 })).safeHoldMs).toBe(5000);
  });

  it('writes leaseHolderId, or else the broker name, to BROKER_NAME', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'failover-lab-create-'));
    const store: StoreTarget = { kind: 'sqlite', file: join(dir, 'store.db'), origin: 'sqlite' };
    const named = await createLocker(persistence(store, 'lease-database-locker', 'lease-holder-7'), ctx);
    const unnamed = await createLocker(persistence(store, 'database-locker'), ctx);
    try {
      expect(unnamed.holderId).toBe('broker1');
      await named.start();
      await named.acquire(new AbortController().signal);
      expect((await named.inspect()).holder).toBe('lease-holder-7');
    } finally {
      await named.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
