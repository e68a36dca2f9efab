import type Database from 'better-sqlite3';
import { openSqlite } from '../util/cjs.js';
import type { LockState } from './locker.js';
import { LOCK_ROW_ID, SQLITE_LOCK_TABLE_DDL } from './lock-table.js';
import { SQLITE_LOCK_SQL } from './lock-statements.js';

export type SqliteDb = Database.Database;

interface LockRow {
  BROKER_NAME: string | null;
  TIME: number | null;
  EPOCH: number;
}

/**
 * Opens the main store file for the lock row and creates `ACTIVEMQ_LOCK` with row 1. WAL lets the
 * store's message writes and readers run beside the lock row updates of other processes.
 */
export function openMainLockDb(file: string, busyTimeoutMs: number): SqliteDb {
  const db = openSqlite(file, { timeout: busyTimeoutMs });
  try {
    db.pragma('journal_mode = WAL');
    db.transaction(() => {
      for (const sql of SQLITE_LOCK_TABLE_DDL) db.exec(sql);
    }).immediate();
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** SQLITE_BUSY / SQLITE_LOCKED: another connection holds what we asked for; try again later. */
export function isSqliteBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

export function readLockRow(db: SqliteDb): LockRow {
  const row = db.prepare(SQLITE_LOCK_SQL.readRow).get(LOCK_ROW_ID) as LockRow | undefined;
  return row ?? { BROKER_NAME: null, TIME: null, EPOCH: 0 };
}

/** A row whose `TIME` is NULL has no holder (released, or never taken). */
export function lockStateOf(row: LockRow, hasLease: boolean): LockState {
  const held = row.TIME !== null;
  return {
    holder: held ? row.BROKER_NAME : null,
    epoch: Number(row.EPOCH),
    leaseExpiresAt: hasLease && held ? Number(row.TIME) : null,
  };
}
