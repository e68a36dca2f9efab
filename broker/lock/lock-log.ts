import type { LockerKind } from '../config/broker-config.js';
import type { Logger } from '../util/log.js';

/**
 * The lock log phrases, ActiveMQ's where it has one (users grep for them; docs/locking.md, Log
 * phrases), written once for the four lockers. Every line carries the lock name, holder and locker.
 */
export function lockLogger(logger: Logger, holderId: string, kind: LockerKind): Logger {
  return logger.child({ lock: 'ACTIVEMQ_LOCK', holder: holderId, locker: kind });
}

export const LOCK_PHRASES = {
  waiting(kind: LockerKind, holderId: string): string {
    return kind === 'database-locker'
      ? 'Attempting to acquire the exclusive lock to become the Master broker'
      : `${holderId} attempting to acquire exclusive lease to become the master`;
  },
  becomingMaster(holderId: string, dataSource: string, leaseExpiresAt: number | null): string {
    return leaseExpiresAt === null
      ? `${holderId}, becoming master on dataSource: ${dataSource}`
      : `${holderId}, becoming master with lease expiry ${new Date(leaseExpiresAt).toISOString()} on dataSource: ${dataSource}`;
  },
  leaseHeld(holderId: string, holder: string | null, until: string | number | null): string {
    return `${holderId} Lease held by ${holder} till ${until}`;
  },
  leaseAcquireFailure(holderId: string, error: unknown): string {
    return `${holderId} lease acquire failure: ${String(error)}`;
  },
  lockFailure(error: unknown): string {
    return `Lock failure: ${String(error)}`;
  },
  failedToUpdateLease(holderId: string, error: unknown): string {
    return `${holderId}, failed to update lease: ${String(error)}`;
  },
  released(kind: LockerKind, holderId: string): string {
    return kind === 'database-locker' ? 'released lock' : `${holderId}, released lease`;
  },
} as const;
