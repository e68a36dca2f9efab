import type { PersistenceConfig } from '../config/broker-config.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import type { Locker } from './locker.js';

export interface LockerContext {
  brokerName: string;
  clock: Clock;
  logger: Logger;
  /** Overrides the SQLite store file of the config (e.g. a test's temp file). */
  storeFile?: string;
  /** PostgreSQL: SQL for the database's time in epoch ms; the lab passes pg-mem's variant. */
  dbNowSql?: string;
  /** PostgreSQL database-locker: idle_in_transaction_session_timeout in keep-alive periods (default 3). */
  idleTimeoutKeepAlives?: number;
}

/**
 * The locker the config asks for: `database-locker` or `lease-database-locker` on SQLite or
 * PostgreSQL. Implementations load on demand: a broker on SQLite never loads `pg`, and the other way
 * round (a slave's memory budget is tight).
 *
 * This is where ActiveMQ's names become ours: `lockAcquireSleepInterval` is both the lease length
 * (`leaseDurationMs`) and the longest wait between attempts (`retryIntervalMs`) of a lease locker,
 * and only the wait for a database locker; `lockKeepAlivePeriod` is `renewPeriodMs`.
 */
export async function createLocker(persistence: PersistenceConfig, ctx: LockerContext): Promise<Locker> {
  const { store, locker } = persistence;
  const leaseHolderId = locker.leaseHolderId ?? ctx.brokerName;
  const common = {
    clock: ctx.clock,
    logger: ctx.logger,
    retryIntervalMs: locker.lockAcquireSleepIntervalMs,
    failIfLocked: locker.failIfLocked,
  };
  if (store.kind === 'sqlite') {
    const storeFile = ctx.storeFile ?? store.file;
    if (locker.kind === 'database-locker') {
      const { SqliteDatabaseLocker } = await import('./sqlite-database-locker.js');
      return new SqliteDatabaseLocker({ ...common, storeFile, brokerName: ctx.brokerName });
    }
    const { SqliteLeaseDatabaseLocker } = await import('./sqlite-lease-database-locker.js');
    return new SqliteLeaseDatabaseLocker({ ...common, storeFile, leaseHolderId, leaseDurationMs: locker.lockAcquireSleepIntervalMs });
  }
  const dbNow = ctx.dbNowSql === undefined ? {} : { dbNowSql: ctx.dbNowSql };
  if (locker.kind === 'database-locker') {
    const { PostgresDatabaseLocker } = await import('./postgres-database-locker.js');
    return new PostgresDatabaseLocker({
      ...common,
      ...dbNow,
      target: store,
      brokerName: ctx.brokerName,
      renewPeriodMs: persistence.lockKeepAlivePeriodMs,
      ...(ctx.idleTimeoutKeepAlives === undefined ? {} : { idleTimeoutKeepAlives: ctx.idleTimeoutKeepAlives }),
    });
  }
  const { PostgresLeaseDatabaseLocker } = await import('./postgres-lease-database-locker.js');
  return new PostgresLeaseDatabaseLocker({
    ...common,
    ...dbNow,
    target: store,
    leaseHolderId,
    leaseDurationMs: locker.lockAcquireSleepIntervalMs,
    maxAllowableDiffFromDbTimeMs: locker.maxAllowableDiffFromDbTimeMs,
  });
}
