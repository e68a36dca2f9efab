/**
 * `ACTIVEMQ_LOCK` as ActiveMQ lays it out (ID, TIME, BROKER_NAME) plus our `EPOCH` column.
 *
 * Row `ID = 1` is the lock row everyone reads: `BROKER_NAME` is the current holder, `TIME` the lease
 * expiry (lease locker) or last keep-alive (database locker), `EPOCH` the fencing token, incremented
 * on every acquisition and committed, so every store transaction of a master can check it.
 *
 * Row `ID = 2` exists for the PostgreSQL `database-locker` only: it is the row held
 * `FOR UPDATE` in a never-committed transaction (ActiveMQ's DefaultDatabaseLocker idea). It cannot be
 * row 1, because a row held by an open transaction cannot carry a committed epoch. On SQLite the
 * held lock is an exclusive transaction on a separate lock file instead (ActiveMQ's lockDataSource).
 */

export const LOCK_ROW_ID = 1;
export const PG_MUTEX_ROW_ID = 2;

export const SQLITE_LOCK_TABLE_DDL = [
  `CREATE TABLE IF NOT EXISTS ACTIVEMQ_LOCK (
     ID INTEGER NOT NULL PRIMARY KEY,
     TIME INTEGER,
     BROKER_NAME VARCHAR(250),
     EPOCH INTEGER NOT NULL DEFAULT 0)`,
  `INSERT OR IGNORE INTO ACTIVEMQ_LOCK (ID, TIME, BROKER_NAME, EPOCH) VALUES (1, NULL, NULL, 0)`,
] as const;

export const POSTGRES_LOCK_TABLE_DDL = [
  `CREATE TABLE IF NOT EXISTS ACTIVEMQ_LOCK (
     ID BIGINT NOT NULL PRIMARY KEY,
     TIME BIGINT,
     BROKER_NAME VARCHAR(250),
     EPOCH BIGINT NOT NULL DEFAULT 0)`,
  // NOT EXISTS first: a plain ON CONFLICT would wait for the master's open transaction, which has
  // updated row 2, so a starting slave would hang in its DDL.
  `INSERT INTO ACTIVEMQ_LOCK (ID, TIME, BROKER_NAME, EPOCH)
     SELECT 1, NULL, NULL, 0 WHERE NOT EXISTS (SELECT 1 FROM ACTIVEMQ_LOCK WHERE ID = 1) ON CONFLICT (ID) DO NOTHING`,
  `INSERT INTO ACTIVEMQ_LOCK (ID, TIME, BROKER_NAME, EPOCH)
     SELECT 2, NULL, NULL, 0 WHERE NOT EXISTS (SELECT 1 FROM ACTIVEMQ_LOCK WHERE ID = 2) ON CONFLICT (ID) DO NOTHING`,
] as const;

/** The fence check every store transaction of a master runs (both dialects). */
export const SELECT_EPOCH_SQL = 'SELECT EPOCH FROM ACTIVEMQ_LOCK WHERE ID = 1';
