import type { LockerKind } from '../config/broker-config.js';

/**
 * The Locker port (ActiveMQ's `Locker`, with fencing added). One broker holds the lock at a time;
 * each acquisition increments `EPOCH` in row `ID = 1` of `ACTIVEMQ_LOCK`, and every store
 * transaction of a master checks that epoch (see `Fence`).
 */

export interface Acquired {
  kind: 'acquired';
  epoch: number;
  /** Lease expiry in the database's time (epoch ms), or null where the lock has no lease. */
  leaseExpiresAt: number | null;
}

/** `unknown` (the database did not answer) is never treated as `renewed` (docs/design.md, Lock and fencing invariants 4). */
export type RenewResult =
  | { kind: 'renewed'; leaseExpiresAt: number | null }
  | { kind: 'lost'; reason: string; holder: string | null }
  | { kind: 'unknown'; error: unknown };

/** What the lock row says now: for status lines and the lab's views. */
export interface LockState {
  holder: string | null;
  epoch: number;
  /** Epoch ms in the database's time; null when there is no lease. */
  leaseExpiresAt: number | null;
}

export interface Locker {
  readonly kind: LockerKind;
  /** The name written to `BROKER_NAME` (the lease holder id or the broker name). */
  readonly holderId: string;
  /**
   * How long after a keep-alive *started* the lock is still certainly ours if no later keep-alive
   * is confirmed: the lease length, or for a connection-held lock the database's idle timeout.
   * Null where the database never takes the lock from a live process (SQLite database-locker).
   */
  readonly safeHoldMs: number | null;
  /** Creates `ACTIVEMQ_LOCK` and row 1 if needed. Idempotent. */
  start(): Promise<void>;
  /** Waits until the lock is ours; rejects with the signal's reason when aborted. */
  acquire(signal: AbortSignal): Promise<Acquired>;
  /** One keep-alive / lease renewal. */
  keepAlive(): Promise<RenewResult>;
  /** Gives the lock up (clean stop): the lease is cleared or the holding transaction ended. Idempotent. */
  release(): Promise<void>;
  /** Closes every connection it opened. Idempotent; does not release a lease (call release first). */
  stop(): Promise<void>;
  /** Reads the lock row without taking anything. */
  inspect(): Promise<LockState>;
}

/**
 * Given to the store by a master: every store transaction reads `EPOCH` of `ACTIVEMQ_LOCK` row 1 in
 * the same transaction and refuses to commit unless it equals `epoch`; `assertHeld` throws a
 * `FencedError` once the local lease deadline has passed without a confirmed renewal.
 */
export interface Fence {
  readonly epoch: number;
  assertHeld(): void;
}
