import type { Clock } from '../util/clock.js';
import { LockError } from '../util/errors.js';
import type { Logger } from '../util/log.js';
import { acquireLoop, leaseRetryDelayMs, type AttemptOutcome } from './acquire-policy.js';
import { LOCK_PHRASES, lockLogger } from './lock-log.js';
import { postgresLockSql, type PostgresLockSql } from './lock-statements.js';
import type { Acquired, Locker, LockState, RenewResult } from './locker.js';
import { CLOCK_TIMESTAMP_MS_SQL, createLockTable, PgSession, sqlState, type PostgresTarget } from './postgres-session.js';

export interface PostgresLeaseDatabaseLockerOptions {
  target: PostgresTarget;
  /** `leaseHolderId` (defaults to the broker name), written to `BROKER_NAME`. */
  leaseHolderId: string;
  /** Local time, only compared with the database's at start (`maxAllowableDiffFromDBTime`). */
  clock: Clock;
  logger: Logger;
  /** How long an obtained or renewed lease lasts (ActiveMQ's `lockAcquireSleepInterval`). */
  leaseDurationMs: number;
  /** Longest wait between attempts (ActiveMQ's `lockAcquireSleepInterval` too). */
  retryIntervalMs: number;
  /** `maxAllowableDiffFromDBTime`: log when local and database time differ by more (0 = never check). */
  maxAllowableDiffFromDbTimeMs: number;
  /** `failIfLocked`: reject `acquire` at once when another broker holds the lock, instead of waiting. */
  failIfLocked?: boolean;
  /** SQL expression for the database's time in epoch ms (pg-mem lacks clock_timestamp()). */
  dbNowSql?: string;
}

interface LockRow {
  broker_name: string | null;
  time: string | null;
  epoch: string;
}

/**
 * `lease-database-locker` on PostgreSQL (ActiveMQ's LeaseDatabaseLocker): the lease lives in row 1
 * of `ACTIVEMQ_LOCK`, every time computed by the server inside single-statement UPDATEs (pg-mem's
 * transactions are optimistic, so nothing spans two statements). Every obtain increments `EPOCH`.
 */
export class PostgresLeaseDatabaseLocker implements Locker {
  readonly kind = 'lease-database-locker' as const;
  readonly holderId: string;
  readonly safeHoldMs: number;
  private readonly sql: PostgresLockSql;
  private readonly logger: Logger;
  private session: PgSession | null = null;
  private started = false;
  private epoch: number | null = null;

  constructor(private readonly options: PostgresLeaseDatabaseLockerOptions) {
    this.holderId = options.leaseHolderId;
    this.safeHoldMs = options.leaseDurationMs;
    this.sql = postgresLockSql(options.dbNowSql ?? CLOCK_TIMESTAMP_MS_SQL);
    this.logger = lockLogger(options.logger, this.holderId, this.kind);
  }

  async start(): Promise<void> {
    if (this.started) return;
    const session = await this.connected();
    await createLockTable(session);
    await this.checkTimeDifference(session);
    this.started = true;
  }

  async acquire(signal: AbortSignal): Promise<Acquired> {
    if (this.epoch !== null) throw new LockError('lease-database-locker already holds the lease');
    return acquireLoop(
      {
        kind: this.kind,
        holderId: this.holderId,
        logger: this.logger,
        failIfLocked: this.options.failIfLocked ?? false,
        dataSource: this.describeTarget(),
        attempt: () => this.attempt(),
        failed: async (error, failedSignal) => {
          failedSignal.throwIfAborted();
          if (error instanceof LockError) throw error;
          await this.dropSessionAfter(error);
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
    try {
      const session = await this.connected();
      const leaseMs = this.options.leaseDurationMs;
      const { rows } = await session.query<{ time: string }>(this.sql.renewLease, [leaseMs, this.holderId, this.epoch], leaseMs);
      const row = rows[0];
      if (row !== undefined) return { kind: 'renewed', leaseExpiresAt: Number(row.time) };
      const state = await this.inspect();
      return { kind: 'lost', reason: `lease of epoch ${this.epoch} was taken (epoch now ${state.epoch})`, holder: state.holder };
    } catch (error) {
      this.logger.log('warn', LOCK_PHRASES.failedToUpdateLease(this.holderId, error));
      await this.dropSessionAfter(error);
      return { kind: 'unknown', error };
    }
  }

  async release(): Promise<void> {
    const epoch = this.epoch;
    this.epoch = null;
    if (epoch === null || this.session === null) return;
    const session = await this.connected();
    const result = await session.query(this.sql.releaseLease, [this.holderId, epoch]);
    if (result.rowCount === 1) this.logger.log('info', LOCK_PHRASES.released(this.kind, this.holderId), { epoch });
  }

  async stop(): Promise<void> {
    this.epoch = null;
    this.started = false;
    await this.session?.close();
    this.session = null;
  }

  async inspect(): Promise<LockState> {
    const session = await this.connected();
    const { rows } = await session.query<LockRow>(this.sql.readRow);
    const row = rows[0];
    if (row === undefined) throw new LockError('ACTIVEMQ_LOCK has no row 1');
    const held = row.time !== null;
    return { holder: held ? row.broker_name : null, epoch: Number(row.epoch), leaseExpiresAt: held ? Number(row.time) : null };
  }

  /** One obtain; when the lease is someone else's, wait until it ends (by the database's clock). */
  private async attempt(): Promise<AttemptOutcome> {
    const leaseMs = this.options.leaseDurationMs;
    const session = await this.connected();
    const { rows } = await session.query<{ epoch: string; time: string }>(this.sql.obtainLease, [this.holderId, leaseMs]);
    const row = rows[0];
    if (row !== undefined) {
      this.epoch = Number(row.epoch);
      return { kind: 'acquired', epoch: this.epoch, leaseExpiresAt: Number(row.time) };
    }
    const held = await session.query<LockRow & { now: string }>(this.sql.readRowAndNow);
    const current = held.rows[0];
    const remainingMs = current?.time == null ? null : Number(current.time) - Number(current.now);
    const retryInMs = leaseRetryDelayMs(this.options.retryIntervalMs, remainingMs);
    this.logger.log('debug', LOCK_PHRASES.leaseHeld(this.holderId, current?.broker_name ?? null, current?.time ?? null), { retryInMs });
    return { kind: 'held', retryInMs };
  }

  /** ActiveMQ compares once at start; our lease needs no adjustment because the server computes it. */
  private async checkTimeDifference(session: PgSession): Promise<void> {
    const maxMs = this.options.maxAllowableDiffFromDbTimeMs;
    if (maxMs <= 0) return;
    const { rows } = await session.query<{ now: string }>(this.sql.now);
    const diffMs = this.options.clock.now() - Number(rows[0]?.now);
    const fields = { diffMs, maxAllowableDiffFromDBTime: maxMs };
    if (Math.abs(diffMs) > maxMs) {
      this.logger.log('warn', `${this.holderId} local time differs from the database time by ${diffMs} ms, more than maxAllowableDiffFromDBTime; the lease uses database time`, fields);
    } else {
      this.logger.log('info', `${this.holderId} diff from db time: ${diffMs} ms`, fields);
    }
  }

  /** A timed-out query leaves the connection busy behind it: reconnect instead of queueing. */
  private async dropSessionAfter(error: unknown): Promise<void> {
    if (sqlState(error) !== undefined) return;
    await this.session?.close();
    this.session = null;
  }

  /** The one session, reopened after the database or the link came back. */
  private async connected(): Promise<PgSession> {
    if (this.session?.isOpen) return this.session;
    await this.session?.close();
    this.session = await PgSession.open(this.options.target, this.logger, 'lease');
    return this.session;
  }

  private describeTarget(): string {
    const { host, port, database, schema } = this.options.target;
    return `postgresql://${host}:${port}/${database}?currentSchema=${schema}`;
  }
}
