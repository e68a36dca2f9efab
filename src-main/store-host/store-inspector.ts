import type { DurableSubscriptionRow, LockRow } from '../api/contract/index.js';
import { DISPATCH_MARK_CLIENT_ID, DISPATCH_MARK_SUB_NAME } from '../../broker/destination/dispatch-mark.js';

/**
 * What the lab host reads from the lock store for its views: row 1 of `ACTIVEMQ_LOCK` and message
 * counts per destination. Read-only; a store whose tables do not exist yet reads as empty.
 */

export type { DurableSubscriptionRow, LockRow };

export interface StoreSnapshot {
  lock: LockRow | null;
  /** `CONTAINER` of ACTIVEMQ_MSGS (e.g. `queue://orders`) and its row count. */
  queues: Array<{ destination: string; depth: number }>;
}

export interface StoreInspector {
  inspect(): Promise<StoreSnapshot>;
  /** `ACTIVEMQ_ACKS`; empty before the brokers created it. */
  subscriptions(): Promise<DurableSubscriptionRow[]>;
  stop(): Promise<void>;
}

export const SELECT_LOCK_ROW = 'SELECT BROKER_NAME, TIME, EPOCH FROM ACTIVEMQ_LOCK WHERE ID = 1';
export const SELECT_DEPTHS = 'SELECT CONTAINER, COUNT(*) AS DEPTH FROM ACTIVEMQ_MSGS GROUP BY CONTAINER ORDER BY CONTAINER';

/** Turns the rows of both queries into a snapshot, whatever case the driver gave the column names. */
export function toSnapshot(lockRows: ReadonlyArray<Record<string, unknown>>, depthRows: ReadonlyArray<Record<string, unknown>>): StoreSnapshot {
  const field = (row: Record<string, unknown>, name: string): unknown => row[name] ?? row[name.toLowerCase()];
  const num = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
  const row = lockRows[0];
  return {
    lock: row
      ? {
          holder: (field(row, 'BROKER_NAME') as string | null | undefined) ?? null,
          time: num(field(row, 'TIME')),
          epoch: num(field(row, 'EPOCH')) ?? 0,
        }
      : null,
    queues: depthRows.map((r) => ({ destination: String(field(r, 'CONTAINER')), depth: num(field(r, 'DEPTH')) ?? 0 })),
  };
}

/**
 * Durable subscriptions; what each still owes is counted per row (pg-mem has no correlated subqueries).
 * A queue's dispatch-mark row (reserved names under a `queue://` container) is broker bookkeeping, not a subscription.
 */
export const SELECT_SUBSCRIPTIONS = `SELECT CONTAINER, CLIENT_ID, SUB_NAME, SELECTOR, LAST_ACKED_ID FROM ACTIVEMQ_ACKS
  WHERE XID IS NULL
    AND NOT (CONTAINER LIKE 'queue://%' AND CLIENT_ID = '${DISPATCH_MARK_CLIENT_ID}' AND SUB_NAME = '${DISPATCH_MARK_SUB_NAME}')
  ORDER BY CONTAINER, CLIENT_ID, SUB_NAME`;
export const COUNT_PENDING_SQLITE = 'SELECT COUNT(*) AS PENDING FROM ACTIVEMQ_MSGS WHERE CONTAINER = ? AND ID > ?';
export const COUNT_PENDING_PG = 'SELECT COUNT(*) AS PENDING FROM ACTIVEMQ_MSGS WHERE CONTAINER = $1 AND ID > $2';

/** The rows of SELECT_SUBSCRIPTIONS, each with `PENDING` added by the caller's count. */
export function toSubscriptions(rows: ReadonlyArray<Record<string, unknown>>): DurableSubscriptionRow[] {
  const field = (row: Record<string, unknown>, name: string): unknown => row[name] ?? row[name.toLowerCase()];
  return rows.map((r) => ({
    destination: String(field(r, 'CONTAINER')),
    clientId: String(field(r, 'CLIENT_ID')),
    subscriptionName: String(field(r, 'SUB_NAME')),
    selector: (field(r, 'SELECTOR') as string | null | undefined) ?? null,
    lastAckedId: Number(field(r, 'LAST_ACKED_ID') ?? 0),
    pending: Number(field(r, 'PENDING') ?? 0),
  }));
}
