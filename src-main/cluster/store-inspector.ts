/**
 * What the lab host reads from the lock store for its views: row 1 of `ACTIVEMQ_LOCK` and message
 * counts per destination. Read-only; a store whose tables do not exist yet reads as empty.
 */

export interface LockRow {
  /** `BROKER_NAME` (the holder id), null when nobody holds it. */
  holder: string | null;
  /** `TIME`: the lease expiry for the lease locker, the last keep-alive for the database-locker. */
  time: number | null;
  epoch: number;
}

export interface StoreSnapshot {
  lock: LockRow | null;
  /** `CONTAINER` of ACTIVEMQ_MSGS (e.g. `queue://orders`) and its row count. */
  queues: Array<{ destination: string; depth: number }>;
}

export interface StoreInspector {
  inspect(): Promise<StoreSnapshot>;
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
