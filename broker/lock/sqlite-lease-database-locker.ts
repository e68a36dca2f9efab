import { sleep, type Clock } from '../util/clock.js';
import { LockError } from '../util/errors.js';
import type { Logger } from '../util/log.js';
import type { Acquired, Locker, LockState, RenewResult } from './locker.js';
import { LOCK_ROW_ID } from './lock-table.js';
import { leaseRetryDelayMs, lockedError } from './acquire-policy.js';
import { isSqliteBusy, lockStateOf, openMainLockDb, readLockRow, type SqliteDb } from './sqlite-lock-db.js';

export interface SqliteLeaseDatabaseLockerOptions {
  storeFile: string;
  /** `leaseHolderId` (defaults to the broker name), written to `BROKER_NAME`. */
  leaseHolderId: string;
  /** Lease time: SQLite has no server clock, so `now()` of this clock (with the lab's offset). */
  clock: Clock;
  logger: Logger;
  /** `lockAcquireSleepInterval`: the lease length, and the longest wait between attempts. */
  lockAcquireSleepIntervalMs: number;
  /** `failIfLocked`: reject `acquire` at once when another broker holds the lock, instead of waiting. */
  failIfLocked?: boolean;
  busyTimeoutMs?: number;
}

const OBTAIN_SQL = `UPDATE ACTIVEMQ_LOCK SET BROKER_NAME = ?, TIME = ?, EPOCH = EPOCH + 1
  WHERE ID = ? AND (TIME IS NULL OR TIME < ? OR BROKER_NAME = ?) RETURNING EPOCH, TIME`;
const RENEW_SQL = 'UPDATE ACTIVEMQ_LOCK SET TIME = ? WHERE ID = ? AND BROKER_NAME = ? AND EPOCH = ? RETURNING TIME';
const RELEASE_SQL = 'UPDATE ACTIVEMQ_LOCK SET BROKER_NAME = NULL, TIME = NULL WHERE ID = ? AND BROKER_NAME = ? AND EPOCH = ?';

/**
 * `lease-database-locker` on SQLite (ActiveMQ's LeaseDatabaseLocker): row 1 of `ACTIVEMQ_LOCK` in the
 * store file holds the lease. Every obtain, even of our own expired lease, increments `EPOCH`, so an
 * older incarnation of this holder is fenced too. The lease is `lockAcquireSleepInterval` long.
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
    this.safeHoldMs = options.lockAcquireSleepIntervalMs;
    this.logger = options.logger.child({ lock: 'ACTIVEMQ_LOCK', holder: this.holderId, locker: this.kind });
  }

  async start(): Promise<void> {
    this.main ??= openMainLockDb(this.options.storeFile, this.options.busyTimeoutMs ?? 1000);
  }

  async acquire(signal: AbortSignal): Promise<Acquired> {
    const main = this.requireMain();
    if (this.epoch !== null) throw new LockError('lease-database-locker already holds the lease');
    this.logger.log('info', `${this.holderId} attempting to acquire exclusive lease to become the master`);
    const leaseMs = this.safeHoldMs;
    const obtain = main.prepare(OBTAIN_SQL);
    for (;;) {
      signal.throwIfAborted();
      const now = this.options.clock.now();
      let waitMs = leaseMs;
      try {
        const row = main
          .transaction(() => obtain.get(this.holderId, now + leaseMs, LOCK_ROW_ID, now, this.holderId) as { EPOCH: number; TIME: number } | undefined)
          .immediate();
        if (row !== undefined) {
          this.epoch = Number(row.EPOCH);
          const leaseExpiresAt = Number(row.TIME);
          this.logger.log('info', `${this.holderId}, becoming master with lease expiry ${new Date(leaseExpiresAt).toISOString()} on dataSource: ${this.options.storeFile}`, {
            epoch: this.epoch,
            leaseExpiresAt,
          });
          return { kind: 'acquired', epoch: this.epoch, leaseExpiresAt };
        }
        const held = readLockRow(main);
        waitMs = leaseRetryDelayMs(leaseMs, held.TIME === null ? null : Number(held.TIME) - now);
        this.logger.log('debug', `${this.holderId} Lease held by ${held.BROKER_NAME} till ${held.TIME}`, { retryInMs: waitMs });
        if (this.options.failIfLocked) throw lockedError(this.holderId);
      } catch (error) {
        if (error instanceof LockError) throw error;
        if (!isSqliteBusy(error)) throw new LockError(`${this.holderId} lease acquire failure`, { cause: error });
        this.logger.log('warn', `${this.holderId} lease acquire failure: ${String(error)}`);
      }
      await sleep(waitMs, signal);
    }
  }

  async keepAlive(): Promise<RenewResult> {
    if (this.epoch === null) return { kind: 'lost', reason: 'no lease held', holder: null };
    const main = this.requireMain();
    const now = this.options.clock.now();
    try {
      const row = main.prepare(RENEW_SQL).get(now + this.safeHoldMs, LOCK_ROW_ID, this.holderId, this.epoch) as { TIME: number } | undefined;
      if (row !== undefined) return { kind: 'renewed', leaseExpiresAt: Number(row.TIME) };
      const held = readLockRow(main);
      return { kind: 'lost', reason: `lease of epoch ${this.epoch} was taken (epoch now ${held.EPOCH})`, holder: held.BROKER_NAME };
    } catch (error) {
      this.logger.log('warn', `${this.holderId}, failed to update lease: ${String(error)}`);
      return { kind: 'unknown', error };
    }
  }

  async release(): Promise<void> {
    const epoch = this.epoch;
    this.epoch = null;
    if (epoch === null || this.main === null) return;
    const changed = this.main.prepare(RELEASE_SQL).run(LOCK_ROW_ID, this.holderId, epoch).changes;
    if (changed === 1) this.logger.log('info', `${this.holderId}, released lease`, { epoch });
  }

  async stop(): Promise<void> {
    this.epoch = null;
    this.main?.close();
    this.main = null;
  }

  async inspect(): Promise<LockState> {
    return lockStateOf(readLockRow(this.requireMain()), true);
  }

  private requireMain(): SqliteDb {
    if (this.main === null) throw new LockError('locker not started');
    return this.main;
  }
}
