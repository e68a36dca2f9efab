/**
 * The lockers' SQL, one statements object per dialect (as the store's `statements.ts`), so the four
 * lockers read as what they do and the SQL of both dialects can be compared side by side. Row ids
 * are parameters (`LOCK_ROW_ID`, `PG_MUTEX_ROW_ID` from lock-table.ts) where the lockers pass them.
 */

/** SQLite: `?` parameters; time is the broker's own clock (SQLite has none). */
export const SQLITE_LOCK_SQL = {
  /** (row) */
  readRow: 'SELECT BROKER_NAME, TIME, EPOCH FROM ACTIVEMQ_LOCK WHERE ID = ?',
  /** database-locker, on the lock file inside the held transaction: (holder, now, row). */
  markLockFile: 'UPDATE ACTIVEMQ_LOCK SET BROKER_NAME = ?, TIME = ? WHERE ID = ?',
  /** database-locker, on the lock file: proves the handle still works (now, row). */
  touchLockFile: 'UPDATE ACTIVEMQ_LOCK SET TIME = ? WHERE ID = ?',
  /** database-locker: a new epoch in row 1 of the main file (holder, now, row). */
  bumpEpoch: 'UPDATE ACTIVEMQ_LOCK SET EPOCH = EPOCH + 1, BROKER_NAME = ?, TIME = ? WHERE ID = ? RETURNING EPOCH',
  /** database-locker keep-alive keyed on our epoch (now, row, epoch). */
  touchRow: 'UPDATE ACTIVEMQ_LOCK SET TIME = ? WHERE ID = ? AND EPOCH = ?',
  /** database-locker release (row, epoch). */
  clearTime: 'UPDATE ACTIVEMQ_LOCK SET TIME = NULL WHERE ID = ? AND EPOCH = ?',
  /** Lease obtain: free, expired, or our own (holder, expiry, row, now, holder). */
  obtainLease: `UPDATE ACTIVEMQ_LOCK SET BROKER_NAME = ?, TIME = ?, EPOCH = EPOCH + 1
  WHERE ID = ? AND (TIME IS NULL OR TIME < ? OR BROKER_NAME = ?) RETURNING EPOCH, TIME`,
  /** Lease renewal keyed on holder and epoch (expiry, row, holder, epoch). */
  renewLease: 'UPDATE ACTIVEMQ_LOCK SET TIME = ? WHERE ID = ? AND BROKER_NAME = ? AND EPOCH = ? RETURNING TIME',
  /** Lease release (row, holder, epoch). */
  releaseLease: 'UPDATE ACTIVEMQ_LOCK SET BROKER_NAME = NULL, TIME = NULL WHERE ID = ? AND BROKER_NAME = ? AND EPOCH = ?',
} as const;

export type PostgresLockSql = ReturnType<typeof postgresLockSql>;

/**
 * PostgreSQL: `$n` parameters; every time is computed by the server (`dbNow`, an SQL expression
 * for epoch ms) inside single-statement UPDATEs (pg-mem's transactions are optimistic).
 */
export function postgresLockSql(dbNow: string) {
  return {
    now: `SELECT ${dbNow} AS NOW`,
    /** database-locker ($1 row). */
    readRowById: 'SELECT BROKER_NAME, TIME, EPOCH FROM ACTIVEMQ_LOCK WHERE ID = $1',
    /** database-locker: the blocking wait for the mutex row ($1 row). */
    lockMutexRow: 'SELECT * FROM ACTIVEMQ_LOCK WHERE ID = $1 FOR UPDATE',
    lockMutexRowNowait: 'SELECT * FROM ACTIVEMQ_LOCK WHERE ID = $1 FOR UPDATE NOWAIT',
    /** database-locker keep-alive on the lock session ($1 row). */
    touchMutexRow: `UPDATE ACTIVEMQ_LOCK SET TIME = ${dbNow} WHERE ID = $1`,
    /** database-locker: a new epoch ($1 holder, $2 row). */
    bumpEpoch: `UPDATE ACTIVEMQ_LOCK SET EPOCH = EPOCH + 1, BROKER_NAME = $1, TIME = ${dbNow} WHERE ID = $2 RETURNING EPOCH`,
    /** database-locker keep-alive keyed on our epoch ($1 row, $2 epoch). */
    touchRow: `UPDATE ACTIVEMQ_LOCK SET TIME = ${dbNow} WHERE ID = $1 AND EPOCH = $2`,
    /** database-locker release ($1 row, $2 epoch). */
    clearTime: 'UPDATE ACTIVEMQ_LOCK SET TIME = NULL WHERE ID = $1 AND EPOCH = $2',
    /** lease-database-locker: row 1. */
    readRow: 'SELECT BROKER_NAME, TIME, EPOCH FROM ACTIVEMQ_LOCK WHERE ID = 1',
    readRowAndNow: `SELECT BROKER_NAME, TIME, EPOCH, ${dbNow} AS NOW FROM ACTIVEMQ_LOCK WHERE ID = 1`,
    /** Lease obtain: free, expired, or our own ($1 holder, $2 lease ms). */
    obtainLease: `UPDATE ACTIVEMQ_LOCK SET BROKER_NAME = $1, TIME = ${dbNow} + $2, EPOCH = EPOCH + 1
           WHERE ID = 1 AND (TIME IS NULL OR TIME < ${dbNow} OR BROKER_NAME = $1) RETURNING EPOCH, TIME`,
    /** Lease renewal keyed on holder and epoch ($1 lease ms, $2 holder, $3 epoch). */
    renewLease: `UPDATE ACTIVEMQ_LOCK SET TIME = ${dbNow} + $1 WHERE ID = 1 AND BROKER_NAME = $2 AND EPOCH = $3 RETURNING TIME`,
    /** Lease release ($1 holder, $2 epoch). */
    releaseLease: 'UPDATE ACTIVEMQ_LOCK SET BROKER_NAME = NULL, TIME = NULL WHERE ID = 1 AND BROKER_NAME = $1 AND EPOCH = $2',
  } as const;
}
