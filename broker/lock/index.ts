/** The lock area's public surface: the Locker port, its four implementations, the keeper. */
export type { Acquired, Fence, Locker, LockState, RenewResult } from './locker.js';
export { LOCK_ROW_ID, PG_MUTEX_ROW_ID, POSTGRES_LOCK_TABLE_DDL, SELECT_EPOCH_SQL, SQLITE_LOCK_TABLE_DDL } from './lock-table.js';
export { createLocker, type LockerContext } from './create-locker.js';
export { LockKeeper, type LockKeeperOptions, type ScheduleFn } from './lock-keeper.js';
export { SqliteDatabaseLocker, type SqliteDatabaseLockerOptions } from './sqlite-database-locker.js';
export { SqliteLeaseDatabaseLocker, type SqliteLeaseDatabaseLockerOptions } from './sqlite-lease-database-locker.js';
export { PostgresDatabaseLocker, type PostgresDatabaseLockerOptions } from './postgres-database-locker.js';
export { PostgresLeaseDatabaseLocker, type PostgresLeaseDatabaseLockerOptions } from './postgres-lease-database-locker.js';
export { CLOCK_TIMESTAMP_MS_SQL } from './postgres-session.js';
