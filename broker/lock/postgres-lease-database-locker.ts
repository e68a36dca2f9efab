import { sleep, type Clock } from '../util/clock.js';
import { LockError } from '../util/errors.js';
import type { Logger } from '../util/log.js';
import { leaseRetryDelayMs, lockedError } from './acquire-policy.js';
import type { Acquired, Locker, LockState, RenewResult } from './locker.js';
import { CLOCK_TIMESTAMP_MS_SQL, createLockTable, PgSession, sqlState, type PostgresTarget } from './postgres-session.js';

export interface PostgresLeaseDatabaseLockerOptions {
  target: PostgresTarget;
  /** `leaseHolderId` (defaults to the broker name), written to `BROKER_NAME`. */
  leaseHolderId: string;
  /** Local time, only compared with the database's at start (`maxAllowableDiffFromDBTime`). */
  clock: Clock;
  logger: Logger;
  /** `lockAcquireSleepInterval`: the lease length, and the longest wait between attempts. */
  lockAcquireSleepIntervalMs: number;
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
  private readonly dbNow: string;
  private readonly logger: Logger;
  private session: PgSession | null = null;
  private started = false;
  private epoch: number | null = null;

  constructor(private readonly options: PostgresLeaseDatabaseLockerOptions) {
    this.holderId = options.leaseHolderId;
    this.safeHoldMs = options.lockAcquireSleepIntervalMs;
    this.dbNow = options.dbNowSql ?? CLOCK_TIMESTAMP_MS_SQL;
    this.logger = options.logger.child({ lock: 'ACTIVEMQ_LOCK', holder: this.holderId, locker: this.kind });
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
    this.logger.log('info', `${this.holderId} attempting to acquire exclusive lease to become the master`);
    const leaseMs = this.safeHoldMs;
    for (;;) {
      signal.throwIfAborted();
      let waitMs = leaseMs;
      try {
        const session = await this.connected();
        const { rows } = await session.query<{ epoch: string; time: string }>(
          `UPDATE ACTIVEMQ_LOCK SET BROKER_NAME = $1, TIME = ${this.dbNow} + $2, EPOCH = EPOCH + 1
           WHERE ID = 1 AND (TIME IS NULL OR TIME < ${this.dbNow} OR BROKER_NAME = $1) RETURNING EPOCH, TIME`,
          [this.holderId, leaseMs],
        );
        const row = rows[0];
        if (row !== undefined) {
          this.epoch = Number(row.epoch);
          if (signal.aborted) {
            // An abort that arrived while the lease was being taken still wins: give it back.
            await this.release();
            signal.throwIfAborted();
          }
          const leaseExpiresAt = Number(row.time);
          this.logger.log('info', `${this.holderId}, becoming master with lease expiry ${new Date(leaseExpiresAt).toISOString()} on dataSource: ${this.describeTarget()}`, {
            epoch: this.epoch,
            leaseExpiresAt,
          });
          return { kind: 'acquired', epoch: this.epoch, leaseExpiresAt };
        }
        const held = await session.query<LockRow & { now: string }>(`SELECT BROKER_NAME, TIME, EPOCH, ${this.dbNow} AS NOW FROM ACTIVEMQ_LOCK WHERE ID = 1`);
        const current = held.rows[0];
        const remainingMs = current?.time == null ? null : Number(current.time) - Number(current.now);
        waitMs = leaseRetryDelayMs(leaseMs, remainingMs);
        this.logger.log('debug', `${this.holderId} Lease held by ${current?.broker_name ?? null} till ${current?.time ?? null}`, { retryInMs: waitMs });
        if (this.options.failIfLocked) throw lockedError(this.holderId);
      } catch (error) {
        signal.throwIfAborted();
        if (error instanceof LockError) throw error;
        await this.dropSessionAfter(error);
        this.logger.log('warn', `${this.holderId} lease acquire failure: ${String(error)}`);
      }
      await sleep(waitMs, signal);
    }
  }

  async keepAlive(): Promise<RenewResult> {
    if (this.epoch === null) return { kind: 'lost', reason: 'no lease held', holder: null };
    try {
      const session = await this.connected();
      const { rows } = await session.query<{ time: string }>(
        `UPDATE ACTIVEMQ_LOCK SET TIME = ${this.dbNow} + $1 WHERE ID = 1 AND BROKER_NAME = $2 AND EPOCH = $3 RETURNING TIME`,
        [this.safeHoldMs, this.holderId, this.epoch],
        this.safeHoldMs,
      );
      const row = rows[0];
      if (row !== undefined) return { kind: 'renewed', leaseExpiresAt: Number(row.time) };
      const state = await this.inspect();
      return { kind: 'lost', reason: `lease of epoch ${this.epoch} was taken (epoch now ${state.epoch})`, holder: state.holder };
    } catch (error) {
      this.logger.log('warn', `${this.holderId}, failed to update lease: ${String(error)}`);
      await this.dropSessionAfter(error);
      return { kind: 'unknown', error };
    }
  }

  async release(): Promise<void> {
    const epoch = this.epoch;
    this.epoch = null;
    if (epoch === null || this.session === null) return;
    const session = await this.connected();
    const result = await session.query('UPDATE ACTIVEMQ_LOCK SET BROKER_NAME = NULL, TIME = NULL WHERE ID = 1 AND BROKER_NAME = $1 AND EPOCH = $2', [
      this.holderId,
      epoch,
    ]);
    if (result.rowCount === 1) this.logger.log('info', `${this.holderId}, released lease`, { epoch });
  }

  async stop(): Promise<void> {
    this.epoch = null;
    this.started = false;
    await this.session?.close();
    this.session = null;
  }

  async inspect(): Promise<LockState> {
    const session = await this.connected();
    const { rows } = await session.query<LockRow>('SELECT BROKER_NAME, TIME, EPOCH FROM ACTIVEMQ_LOCK WHERE ID = 1');
    const row = rows[0];
    if (row === undefined) throw new LockError('ACTIVEMQ_LOCK has no row 1');
    const held = row.time !== null;
    return { holder: held ? row.broker_name : null, epoch: Number(row.epoch), leaseExpiresAt: held ? Number(row.time) : null };
  }

  /** ActiveMQ compares once at start; our lease needs no adjustment because the server computes it. */
  private async checkTimeDifference(session: PgSession): Promise<void> {
    const maxMs = this.options.maxAllowableDiffFromDbTimeMs;
    if (maxMs <= 0) return;
    const { rows } = await session.query<{ now: string }>(`SELECT ${this.dbNow} AS NOW`);
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
