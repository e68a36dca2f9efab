import { sleep } from '../util/clock.js';
import { LockError } from '../util/errors.js';
import type { Logger } from '../util/log.js';
import type { Acquired } from './locker.js';
import { LOCK_PHRASES } from './lock-log.js';
import type { LockerKind } from '../config/broker-config.js';

/** Shortest wait between lease attempts, so a clock at the edge does not spin. */
const MIN_LEASE_RETRY_MS = 5;

/**
 * How long a lease waiter sleeps after a failed obtain: until the lease it saw ends (plus 1 ms),
 * never longer than `retryIntervalMs`. ActiveMQ always sleeps the full interval, which can add a
 * whole lease length to every failover.
 */
export function leaseRetryDelayMs(retryIntervalMs: number, remainingLeaseMs: number | null): number {
  if (remainingLeaseMs === null) return MIN_LEASE_RETRY_MS;
  return Math.min(retryIntervalMs, Math.max(MIN_LEASE_RETRY_MS, remainingLeaseMs + 1));
}

/** `failIfLocked`: the broker gives up instead of waiting as a slave. */
export function lockedError(holderId: string): LockError {
  return new LockError(`${holderId}: the lock is held by another broker and failIfLocked is set`);
}

/** What one attempt found: the lock is ours, or someone else holds it (wait this long, then retry). */
export type AttemptOutcome = Acquired | { kind: 'held'; retryInMs: number };

/** The part of acquiring that differs between the four lockers. */
export interface AcquireSteps {
  kind: LockerKind;
  holderId: string;
  logger: Logger;
  failIfLocked: boolean;
  /** For the "becoming master" line: the file or the PostgreSQL URL. */
  dataSource: string;
  /** Extra fields of the "attempting to acquire" line. */
  waitingFields?: Record<string, unknown>;
  /** One attempt to take the lock. */
  attempt(signal: AbortSignal): Promise<AttemptOutcome>;
  /**
   * An attempt failed: clean up and return how long to wait before the next one, or throw to give
   * up (a `LockError`, or the signal's reason once aborted).
   */
  failed(error: unknown, signal: AbortSignal): Promise<number>;
  /** Gives back a lock taken while the signal was being aborted. */
  release(): Promise<void>;
}

/**
 * The acquire loop every locker runs (ActiveMQ's `Locker.start` waiting as a slave): attempt, and
 * while another broker holds the lock either give up (`failIfLocked`) or wait and try again. An
 * abort that arrives while the lock is being taken still wins: the lock is given back.
 */
export async function acquireLoop(steps: AcquireSteps, signal: AbortSignal): Promise<Acquired> {
  steps.logger.log('info', LOCK_PHRASES.waiting(steps.kind, steps.holderId), steps.waitingFields);
  for (;;) {
    signal.throwIfAborted();
    let retryInMs: number;
    try {
      const outcome = await steps.attempt(signal);
      if (outcome.kind === 'acquired') {
        if (signal.aborted) {
          await steps.release();
          signal.throwIfAborted();
        }
        const { epoch, leaseExpiresAt } = outcome;
        steps.logger.log(
          'info',
          LOCK_PHRASES.becomingMaster(steps.holderId, steps.dataSource, leaseExpiresAt),
          leaseExpiresAt === null ? { epoch } : { epoch, leaseExpiresAt },
        );
        return outcome;
      }
      if (steps.failIfLocked) throw lockedError(steps.holderId);
      retryInMs = outcome.retryInMs;
    } catch (error) {
      retryInMs = await steps.failed(error, signal);
    }
    // A blocking wait (PostgreSQL FOR UPDATE) retries at once.
    if (retryInMs > 0) await sleep(retryInMs, signal);
  }
}
