/**
 * The lock area's public surface: the Locker port, the lock table, `createLocker` and the keeper.
 * The four implementations are types here: `createLocker` loads the one the config names on demand
 * (a broker on SQLite never loads `pg`), which a value export from this file would defeat.
 */
export type { Acquired, Fence, Locker, LockState, RenewResult } from './locker.js';
export { LOCK_ROW_ID, PG_MUTEX_ROW_ID, POSTGRES_LOCK_TABLE_DDL, SELECT_EPOCH_SQL, SQLITE_LOCK_TABLE_DDL } from './lock-table.js';
export { createLocker, type LockerContext } from './create-locker.js';
export { LockKeeper, type LockKeeperOptions, type ScheduleFn } from './lock-keeper.js';
export type { SqliteDatabaseLocker, SqliteDatabaseLockerOptions } from './sqlite-database-locker.js';
export type { SqliteLeaseDatabaseLocker, SqliteLeaseDatabaseLockerOptions } from './sqlite-lease-database-locker.js';
export type { PostgresDatabaseLocker, PostgresDatabaseLockerOptions } from './postgres-database-locker.js';
export type { PostgresLeaseDatabaseLocker, PostgresLeaseDatabaseLockerOptions } from './postgres-lease-database-locker.js';
