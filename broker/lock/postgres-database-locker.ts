import type { Clock } from '../util/clock.js';
import { LockError } from '../util/errors.js';
import type { Logger } from '../util/log.js';
import type { Acquired, Locker, LockState, RenewResult } from './locker.js';
import { LOCK_ROW_ID, PG_MUTEX_ROW_ID } from './lock-table.js';
import { acquireLoop, type AttemptOutcome } from './acquire-policy.js';
import { LOCK_PHRASES, lockLogger } from './lock-log.js';
import { postgresLockSql, type PostgresLockSql } from './lock-statements.js';
import { CLOCK_TIMESTAMP_MS_SQL, createLockTable, isQueryTimeout, PgSession, sqlState, type PostgresTarget } from './postgres-session.js';

export interface PostgresDatabaseLockerOptions {
  target: PostgresTarget;
  brokerName: string;
  clock: Clock;
  logger: Logger;
  /** How often the master keeps the lock alive (`lockKeepAlivePeriod`); 0 disables keep-alives and the idle timeout with them. */
  renewPeriodMs: number;
  /** Wait after a failed attempt, and the server-side `lock_timeout` of one wait (`lockAcquireSleepInterval`). */
  retryIntervalMs: number;
  /** `idle_in_transaction_session_timeout` = this × renewPeriodMs (at least 1000 ms). Default 3. */
  idleTimeoutKeepAlives?: number;
  /** `failIfLocked`: reject `acquire` at once when another broker holds the lock, instead of waiting. */
  failIfLocked?: boolean;
  /** SQL expression for the database's time in epoch ms (pg-mem lacks clock_timestamp()). */
  dbNowSql?: string;
}

const LOCK_NOT_AVAILABLE = '55P03';
const MIN_IDLE_TIMEOUT_MS = 1000;

/**
 * `database-locker` on PostgreSQL (ActiveMQ's DefaultDatabaseLocker): row 2 of `ACTIVEMQ_LOCK` held
 * `FOR UPDATE` in a transaction that stays open for the master's life. The server releases it when
 * the session dies, or, through `idle_in_transaction_session_timeout`, when the keep-alives stop
 * (a master behind a dead link), so `safeHoldMs` is that timeout. The epoch goes to row 1 on a
 * second, autocommit connection, where every store transaction can read it.
 */
export class PostgresDatabaseLocker implements Locker {
  readonly kind = 'database-locker' as const;
  readonly holderId: string;
  readonly safeHoldMs: number | null;
  private readonly idleTimeoutMs: number;
  private readonly sql: PostgresLockSql;
  private readonly logger: Logger;
  private aux: PgSession | null = null;
  private lock: PgSession | null = null;
  private epoch: number | null = null;

  constructor(private readonly options: PostgresDatabaseLockerOptions) {
    this.holderId = options.brokerName;
    const periodMs = options.renewPeriodMs;
    this.idleTimeoutMs = periodMs > 0 ? Math.max(MIN_IDLE_TIMEOUT_MS, (options.idleTimeoutKeepAlives ?? 3) * periodMs) : 0;
    this.safeHoldMs = this.idleTimeoutMs > 0 ? this.idleTimeoutMs : null;
    this.sql = postgresLockSql(options.dbNowSql ?? CLOCK_TIMESTAMP_MS_SQL);
    this.logger = lockLogger(options.logger, this.holderId, this.kind);
  }

  async start(): Promise<void> {
    if (this.aux?.isOpen) return;
    this.aux = await PgSession.open(this.options.target, this.logger, 'lock-epoch');
    await createLockTable(this.aux);
  }

  async acquire(signal: AbortSignal): Promise<Acquired> {
    if (this.epoch !== null) throw new LockError('database-locker already holds the lock');
    return acquireLoop(
      {
        kind: this.kind,
        holderId: this.holderId,
        logger: this.logger,
        failIfLocked: this.options.failIfLocked ?? false,
        dataSource: this.describeTarget(),
        attempt: (attemptSignal) => this.attempt(attemptSignal),
        failed: async (error, failedSignal) => {
          await this.closeLock();
          failedSignal.throwIfAborted();
          if (error instanceof LockError) throw error;
          this.logger.log('warn', LOCK_PHRASES.lockFailure(error));
          return this.options.retryIntervalMs;
        },
        release: () => this.release(),
      },
      signal,
    );
  }

  async keepAlive(): Promise<RenewResult> {
    const lock = this.lock;
    if (this.epoch === null || lock === null || !lock.isOpen) {
      return { kind: 'lost', reason: 'the lock session is closed: the server released the lock', holder: null };
    }
    try {
      await lock.query(this.sql.touchMutexRow, [PG_MUTEX_ROW_ID], this.queryTimeoutMs());
    } catch (error) {
      // Only a client-side timeout leaves the holding transaction possibly alive; a server error
      // aborted it, and a broken connection is one the server ends (or has ended) too.
      if (isQueryTimeout(error) && lock.isOpen) return { kind: 'unknown', error };
      await this.closeLock();
      return { kind: 'lost', reason: `the lock session failed: ${String(error)}`, holder: null };
    }
    try {
      const aux = await this.auxSession();
      const result = await aux.query(this.sql.touchRow, [LOCK_ROW_ID, this.epoch], this.queryTimeoutMs());
      if (result.rowCount === 0) {
        const state = await this.inspect();
        return { kind: 'lost', reason: `ACTIVEMQ_LOCK epoch moved to ${state.epoch}`, holder: state.holder };
      }
      return { kind: 'renewed', leaseExpiresAt: null };
    } catch (error) {
      // A timed-out query leaves the connection busy behind it: reconnect next time.
      if (sqlState(error) === undefined) await this.aux?.close();
      return { kind: 'unknown', error };
    }
  }

  async release(): Promise<void> {
    const epoch = this.epoch;
    this.epoch = null;
    if (epoch === null) return;
    await this.closeLock();
    this.logger.log('info', LOCK_PHRASES.released(this.kind, this.holderId), { epoch });
    if (this.aux?.isOpen) {
      await this.aux.query(this.sql.clearTime, [LOCK_ROW_ID, epoch]);
    }
  }

  async stop(): Promise<void> {
    this.epoch = null;
    await this.closeLock();
    await this.aux?.close();
    this.aux = null;
  }

  async inspect(): Promise<LockState> {
    const aux = await this.auxSession();
    const { rows } = await aux.query<{ broker_name: string | null; time: string | null; epoch: string }>(this.sql.readRowById, [LOCK_ROW_ID]);
    const row = rows[0];
    if (row === undefined) throw new LockError('ACTIVEMQ_LOCK has no row 1');
    return { holder: row.time === null ? null : row.broker_name, epoch: Number(row.epoch), leaseExpiresAt: null };
  }

  /** One attempt: a blocking wait for row 2 (ending in `held` when `lock_timeout` ran out), then a new epoch. */
  private async attempt(signal: AbortSignal): Promise<AttemptOutcome> {
    if (!(await this.waitForRowLock(signal))) return { kind: 'held', retryInMs: 0 };
    const epoch = await this.bumpEpoch();
    this.epoch = epoch;
    return { kind: 'acquired', epoch, leaseExpiresAt: null };
  }

  /** One blocking wait for row 2, bounded by `lock_timeout`; false when that ran out. */
  private async waitForRowLock(signal: AbortSignal): Promise<boolean> {
    const lock = await this.lockSession();
    const onAbort = () => void lock.close();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      await lock.query('BEGIN');
      await lock.query(this.options.failIfLocked ? this.sql.lockMutexRowNowait : this.sql.lockMutexRow, [PG_MUTEX_ROW_ID]);
      return true;
    } catch (error) {
      if (sqlState(error) !== LOCK_NOT_AVAILABLE || !lock.isOpen) throw error;
      await lock.query('ROLLBACK');
      return false;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  private async lockSession(): Promise<PgSession> {
    if (this.lock?.isOpen) return this.lock;
    const lock = await PgSession.open(this.options.target, this.logger, 'lock');
    this.lock = lock;
    // A waiter's lock_timeout bounds how long an abandoned wait can linger on the server.
    await lock.query(`SET lock_timeout = ${Math.max(1, Math.round(this.options.retryIntervalMs))}`);
    await lock.query(`SET idle_in_transaction_session_timeout = ${this.idleTimeoutMs}`);
    return lock;
  }

  private async bumpEpoch(): Promise<number> {
    const aux = await this.auxSession();
    const { rows } = await aux.query<{ epoch: string }>(this.sql.bumpEpoch, [this.holderId, LOCK_ROW_ID]);
    const row = rows[0];
    if (row === undefined) throw new LockError('ACTIVEMQ_LOCK has no row 1');
    return Number(row.epoch);
  }

  private async auxSession(): Promise<PgSession> {
    if (this.aux === null) throw new LockError('locker not started');
    if (!this.aux.isOpen) this.aux = await PgSession.open(this.options.target, this.logger, 'lock-epoch');
    return this.aux;
  }

  private async closeLock(): Promise<void> {
    await this.lock?.close();
    this.lock = null;
  }

  /** A keep-alive that hangs longer than this is `unknown`; the keeper's deadline decides the rest. */
  private queryTimeoutMs(): number {
    return Math.max(MIN_IDLE_TIMEOUT_MS, this.options.renewPeriodMs);
  }

  private describeTarget(): string {
    const { host, port, database, schema } = this.options.target;
    return `postgresql://${host}:${port}/${database}?currentSchema=${schema}`;
  }
}
