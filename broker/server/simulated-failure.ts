import type { Locker, RenewResult } from '../lock/locker.js';
import { StoreError } from '../util/errors.js';

/**
 * SQLite has no link to cut, so the lab's "database lost" fault is simulated inside the broker:
 * the store rejects every operation and keep-alives fail as they would against a vanished server.
 * A held database lock dies with its connection (`lost`); a lease is only in doubt (`unknown`)
 * until its local deadline passes. The lab labels this fault as simulated.
 */
export function withSimulatedFailure(locker: Locker, isFailing: () => boolean): Locker {
  const failure = (): RenewResult => {
    const error = new StoreError('simulated database failure');
    return locker.kind === 'database-locker'
      ? { kind: 'lost', reason: `database connection lost (${error.message})`, holder: null }
      : { kind: 'unknown', error };
  };
  return {
    kind: locker.kind,
    holderId: locker.holderId,
    safeHoldMs: locker.safeHoldMs,
    start: () => locker.start(),
    acquire: (signal) => locker.acquire(signal),
    keepAlive: () => (isFailing() ? Promise.resolve(failure()) : locker.keepAlive()),
    release: () => locker.release(),
    stop: () => locker.stop(),
    inspect: () => locker.inspect(),
  };
}
