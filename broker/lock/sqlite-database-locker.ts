import { openSqlite } from '../util/cjs.js';
import type { Clock } from '../util/clock.js';
import { LockError } from '../util/errors.js';
import type { Logger } from '../util/log.js';
import type { Acquired, Locker, LockState, RenewResult } from './locker.js';
import { LOCK_ROW_ID, SQLITE_LOCK_TABLE_DDL } from './lock-table.js';
import { acquireLoop, type AttemptOutcome } from './acquire-policy.js';
import { LOCK_PHRASES, lockLogger } from './lock-log.js';
import { SQLITE_LOCK_SQL as SQL } from './lock-statements.js';
import { isSqliteBusy, lockStateOf, openMainLockDb, readLockRow, type SqliteDb } from './sqlite-lock-db.js';

export interface SqliteDatabaseLockerOptions {
  /** The shared store file; the lock itself is held on `<storeFile>.lock`. */
  storeFile: string;
  brokerName: string;
  clock: Clock;
  logger: Logger;
  /** Longest wait between attempts (ActiveMQ's `lockAcquireSleepInterval`). */
  retryIntervalMs: number;
  /** Wait between attempts; default min(retryIntervalMs, 20 ms) so a slave takes over fast. */
  pollIntervalMs?: number;
  /** `failIfLocked`: reject `acquire` at once when another broker holds the lock, instead of waiting. */
  failIfLocked?: boolean;
  /** SQLite busy timeout for the row 1 writes in the main file. */
  busyTimeoutMs?: number;
}

/**
 * `database-locker` on SQLite (ActiveMQ's DefaultDatabaseLocker with a lockDataSource): the lock is
 * an exclusive transaction on a separate lock file, never committed, so the main file stays
 * writable. Only the OS takes it away, when the holding process dies: `safeHoldMs` is null.
 */
export class SqliteDatabaseLocker implements Locker {
  readonly kind = 'database-locker' as const;
  readonly holderId: string;
  readonly safeHoldMs = null;
  readonly lockFile: string;
  private main: SqliteDb | null = null;
  private lockDb: SqliteDb | null = null;
  private epoch: number | null = null;
  private readonly pollIntervalMs: number;
  private readonly logger: Logger;

  constructor(private readonly options: SqliteDatabaseLockerOptions) {
    this.holderId = options.brokerName;
    this.lockFile = `${options.storeFile}.lock`;
    this.pollIntervalMs = options.pollIntervalMs ?? Math.max(1, Math.min(options.retryIntervalMs, 20));
    this.logger = lockLogger(options.logger, this.holderId, this.kind);
  }

  async start(): Promise<void> {
    this.main ??= openMainLockDb(this.options.storeFile, this.options.busyTimeoutMs ?? 1000);
  }

  async acquire(signal: AbortSignal): Promise<Acquired> {
    const main = this.requireMain();
    if (this.epoch !== null) throw new LockError('database-locker already holds the lock');
    return acquireLoop(
      {
        kind: this.kind,
        holderId: this.holderId,
        logger: this.logger,
        failIfLocked: this.options.failIfLocked ?? false,
        dataSource: this.options.storeFile,
        waitingFields: { lockFile: this.lockFile },
        attempt: async () => this.attempt(main),
        failed: async (error) => {
          throw error;
        },
        release: () => this.release(),
      },
      signal,
    );
  }

  async keepAlive(): Promise<RenewResult> {
    const lockDb = this.lockDb;
    if (this.epoch === null || lockDb === null || !lockDb.open || !lockDb.inTransaction) {
      return { kind: 'lost', reason: 'the lock file transaction is not open', holder: null };
    }
    const now = this.options.clock.now();
    try {
      // Proves the handle still works; the OS lock cannot be taken from a live process.
      lockDb.prepare(SQL.touchLockFile).run(now, LOCK_ROW_ID);
      const main = this.requireMain();
      const changed = main.prepare(SQL.touchRow).run(now, LOCK_ROW_ID, this.epoch).changes;
      if (changed === 0) {
        const row = readLockRow(main);
        return { kind: 'lost', reason: `ACTIVEMQ_LOCK epoch moved to ${row.EPOCH}`, holder: row.BROKER_NAME };
      }
      return { kind: 'renewed', leaseExpiresAt: null };
    } catch (error) {
      if (!lockDb.inTransaction) return { kind: 'lost', reason: `the lock file transaction ended: ${String(error)}`, holder: null };
      return { kind: 'unknown', error };
    }
  }

  async release(): Promise<void> {
    const epoch = this.epoch;
    this.epoch = null;
    if (epoch === null) return;
    try {
      this.main?.prepare(SQL.clearTime).run(LOCK_ROW_ID, epoch);
    } finally {
      this.rollbackLockFile();
      this.logger.log('info', LOCK_PHRASES.released(this.kind, this.holderId), { epoch });
    }
  }

  async stop(): Promise<void> {
    this.epoch = null;
    this.lockDb?.close();
    this.lockDb = null;
    this.main?.close();
    this.main = null;
  }

  async inspect(): Promise<LockState> {
    return lockStateOf(readLockRow(this.requireMain()), false);
  }

  /** One attempt: the lock file's exclusive transaction, then a new epoch in the main file. */
  private attempt(main: SqliteDb): AttemptOutcome {
    const held = { kind: 'held', retryInMs: this.pollIntervalMs } as const;
    if (!this.tryLockFile()) return held;
    try {
      const epoch = this.bumpEpoch(main);
      this.epoch = epoch;
      return { kind: 'acquired', epoch, leaseExpiresAt: null };
    } catch (error) {
      this.rollbackLockFile();
      if (!isSqliteBusy(error)) throw new LockError('could not record the new epoch in ACTIVEMQ_LOCK', { cause: error });
      return held;
    }
  }

  /** True when the exclusive transaction on the lock file is ours. */
  private tryLockFile(): boolean {
    // timeout 0: never block the event loop in SQLite's busy handler; we poll instead.
    this.lockDb ??= openSqlite(this.lockFile, { timeout: 0 });
    const lockDb = this.lockDb;
    try {
      lockDb.exec('BEGIN EXCLUSIVE');
      // While a holder lives every statement here fails, so the table is created inside the lock.
      for (const sql of SQLITE_LOCK_TABLE_DDL) lockDb.exec(sql);
      lockDb.prepare(SQL.markLockFile).run(this.holderId, this.options.clock.now(), LOCK_ROW_ID);
      return true;
    } catch (error) {
      if (lockDb.inTransaction) lockDb.exec('ROLLBACK');
      if (isSqliteBusy(error)) return false;
      throw new LockError(`could not lock ${this.lockFile}`, { cause: error });
    }
  }

  private bumpEpoch(main: SqliteDb): number {
    const bump = main.prepare(SQL.bumpEpoch);
    const row = main.transaction(() => bump.get(this.holderId, this.options.clock.now(), LOCK_ROW_ID) as { EPOCH: number } | undefined).immediate();
    if (row === undefined) throw new LockError('ACTIVEMQ_LOCK has no row 1');
    return Number(row.EPOCH);
  }

  private rollbackLockFile(): void {
    if (this.lockDb?.open && this.lockDb.inTransaction) this.lockDb.exec('ROLLBACK');
  }

  private requireMain(): SqliteDb {
    if (this.main === null) throw new LockError('locker not started');
    return this.main;
  }
}
