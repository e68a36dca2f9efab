import { LockError } from '../util/errors.js';

/** Shortest wait between lease attempts, so a clock at the edge does not spin. */
export const MIN_LEASE_RETRY_MS = 5;

/**
 * How long a lease waiter sleeps after a failed obtain: until the lease it saw ends (plus 1 ms),
 * never longer than `lockAcquireSleepInterval`. ActiveMQ always sleeps the full interval, which
 * can add a whole lease length to every failover.
 */
export function leaseRetryDelayMs(lockAcquireSleepIntervalMs: number, remainingLeaseMs: number | null): number {
  if (remainingLeaseMs === null) return MIN_LEASE_RETRY_MS;
  return Math.min(lockAcquireSleepIntervalMs, Math.max(MIN_LEASE_RETRY_MS, remainingLeaseMs + 1));
}

/** `failIfLocked`: the broker gives up instead of waiting as a slave. */
export function lockedError(holderId: string): LockError {
  return new LockError(`${holderId}: the lock is held by another broker and failIfLocked is set`);
}
