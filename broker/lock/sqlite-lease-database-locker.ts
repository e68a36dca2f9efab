import type { Statement } from 'better-sqlite3';
import type { Clock } from '../util/clock.js';
import { LockError } from '../util/errors.js';
import type { Logger } from '../util/log.js';
import type { Acquired, Locker, LockState, RenewResult } from './locker.js';
import { LOCK_ROW_ID } from './lock-table.js';
import { acquireLoop, leaseRetryDelayMs, type AttemptOutcome } from './acquire-policy.js';
import { LOCK_PHRASES, lockLogger } from './lock-log.js';
import { SQLITE_LOCK_SQL as SQL } from './lock-statements.js';
import { isSqliteBusy, lockStateOf, openMainLockDb, readLockRow, type SqliteDb } from './sqlite-lock-db.js';

export interface SqliteLeaseDatabaseLockerOptions {
  storeFile: string;
  /** `leaseHolderId` (defaults to the broker name), written to `BROKER_NAME`. */
  leaseHolderId: string;
  /** Lease time: SQLite has no server clock, so `now()` of this clock (with the lab's offset). */
  clock: Clock;
  logger: Logger;
  /** How long an obtained or renewed lease lasts (ActiveMQ's `lockAcquireSleepInterval`). */
  leaseDurationMs: number;
  /** Longest wait between attempts (ActiveMQ's `lockAcquireSleepInterval` too). */
  retryIntervalMs: number;
  /** `failIfLocked`: reject `acquire` at once when another broker holds the lock, instead of waiting. */
  failIfLocked?: boolean;
  busyTimeoutMs?: number;
}

/**
 * `lease-database-locker` on SQLite (ActiveMQ's LeaseDatabaseLocker): row 1 of `ACTIVEMQ_LOCK` in the
 * store file holds the lease. Every obtain, even of our own expired lease, increments `EPOCH`, so an
 * older incarnation of this holder is fenced too.
 */
export class SqliteLeaseDatabaseLocker implements Locker {
  readonly kind = 'lease-database-locker' as const;
  readonly holderId: string;
  readonly safeHoldMs: number;
  private main: SqliteDb | null = null;
  private epoch: number | null = null;
  private readonly logger: Logger;

  constructor(private readonly options: SqliteLeaseDatabaseLockerOptions) {
    this.holderId = options.leaseHolderId;
    this.safeHoldMs = options.leaseDurationMs;
    this.logger = lockLogger(options.logger, this.holderId, this.kind);
  }

  async start(): Promise<void> {
    this.main ??= openMainLockDb(this.options.storeFile, this.options.busyTimeoutMs ?? 1000);
  }

  async acquire(signal: AbortSignal): Promise<Acquired> {
    const main = this.requireMain();
    if (this.epoch !== null) throw new LockError('lease-database-locker already holds the lease');
    const obtain = main.prepare(SQL.obtainLease);
    return acquireLoop(
      {
        kind: this.kind,
        holderId: this.holderId,
        logger: this.logger,
        failIfLocked: this.options.failIfLocked ?? false,
        dataSource: this.options.storeFile,
        attempt: async () => this.attempt(main, obtain),
        failed: async (error) => {
          if (error instanceof LockError) throw error;
          if (!isSqliteBusy(error)) throw new LockError(`${this.holderId} lease acquire failure`, { cause: error });
          this.logger.log('warn', LOCK_PHRASES.leaseAcquireFailure(this.holderId, error));
          return this.options.leaseDurationMs;
        },
        release: () => this.release(),
      },
      signal,
    );
  }

  async keepAlive(): Promise<RenewResult> {
    if (this.epoch === null) return { kind: 'lost', reason: 'no lease held', holder: null };
    const main = this.requireMain();
    const now = this.options.clock.now();
    try {
      const row = main.prepare(SQL.renewLease).get(now + this.options.leaseDurationMs, LOCK_ROW_ID, this.holderId, this.epoch) as { TIME: number } | undefined;
      if (row !== undefined) return { kind: 'renewed', leaseExpiresAt: Number(row.TIME) };
      const held = readLockRow(main);
      return { kind: 'lost', reason: `lease of epoch ${this.epoch} was taken (epoch now ${held.EPOCH})`, holder: held.BROKER_NAME };
    } catch (error) {
      this.logger.log('warn', LOCK_PHRASES.failedToUpdateLease(this.holderId, error));
      return { kind: 'unknown', error };
    }
  }

  async release(): Promise<void> {
    const epoch = this.epoch;
    this.epoch = null;
    if (epoch === null || this.main === null) return;
    const changed = this.main.prepare(SQL.releaseLease).run(LOCK_ROW_ID, this.holderId, epoch).changes;
    if (changed === 1) this.logger.log('info', LOCK_PHRASES.released(this.kind, this.holderId), { epoch });
  }

  async stop(): Promise<void> {
    this.epoch = null;
    this.main?.close();
    this.main = null;
  }

  async inspect(): Promise<LockState> {
    return lockStateOf(readLockRow(this.requireMain()), true);
  }

  /** One obtain in `BEGIN IMMEDIATE`; when the lease is someone else's, wait until it ends. */
  private attempt(main: SqliteDb, obtain: Statement<unknown[]>): AttemptOutcome {
    const now = this.options.clock.now();
    const leaseMs = this.options.leaseDurationMs;
    const row = main
      .transaction(() => obtain.get(this.holderId, now + leaseMs, LOCK_ROW_ID, now, this.holderId) as { EPOCH: number; TIME: number } | undefined)
      .immediate();
    if (row !== undefined) {
      this.epoch = Number(row.EPOCH);
      return { kind: 'acquired', epoch: this.epoch, leaseExpiresAt: Number(row.TIME) };
    }
    const held = readLockRow(main);
    const retryInMs = leaseRetryDelayMs(this.options.retryIntervalMs, held.TIME === null ? null : Number(held.TIME) - now);
    this.logger.log('debug', LOCK_PHRASES.leaseHeld(this.holderId, held.BROKER_NAME, held.TIME), { retryInMs });
    return { kind: 'held', retryInMs };
  }

  private requireMain(): SqliteDb {
    if (this.main === null) throw new LockError('locker not started');
    return this.main;
  }
}
