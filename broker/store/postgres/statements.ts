import { POSTGRES_LOCK_TABLE_DDL } from '../../lock/lock-table.js';

/**
 * PostgreSQL dialect of the store's SQL (ActiveMQ's `Statements` idea: one place per dialect).
 * Plain SQL only (INSERT ... RETURNING, INSERT ... ON CONFLICT DO UPDATE, DELETE ... IN, SELECT ...
 * FOR SHARE): the lab also serves pg-mem over the wire protocol, which has no advisory locks,
 * SKIP LOCKED or LISTEN.
 */

/** `PRIORITY` of an `ACTIVEMQ_ACKS` row: one row per subscription, ActiveMQ's column default. */
export const ACK_PRIORITY = 5;

export function createSchemaStatements(quotedSchema: string): string[] {
  return [
    `CREATE SCHEMA IF NOT EXISTS ${quotedSchema}`,
    // BIGSERIAL: a sequence never hands out an id twice, even after the newest row is deleted.
    `CREATE TABLE IF NOT EXISTS ACTIVEMQ_MSGS (
       ID BIGSERIAL PRIMARY KEY,
       CONTAINER VARCHAR(250) NOT NULL,
       MSGID_PROD VARCHAR(250),
       MSGID_SEQ BIGINT,
       EXPIRATION BIGINT,
       MSG BYTEA,
       PRIORITY INTEGER)`,
    'CREATE INDEX IF NOT EXISTS ACTIVEMQ_MSGS_CIDX ON ACTIVEMQ_MSGS (CONTAINER, ID)',
    'CREATE INDEX IF NOT EXISTS ACTIVEMQ_MSGS_EIDX ON ACTIVEMQ_MSGS (EXPIRATION)',
    `CREATE TABLE IF NOT EXISTS ACTIVEMQ_ACKS (
       CONTAINER VARCHAR(250) NOT NULL,
       SUB_DEST VARCHAR(250),
       CLIENT_ID VARCHAR(250) NOT NULL,
       SUB_NAME VARCHAR(250) NOT NULL,
       SELECTOR VARCHAR(250),
       LAST_ACKED_ID BIGINT,
       PRIORITY INTEGER NOT NULL DEFAULT ${ACK_PRIORITY},
       XID VARCHAR(250),
       PRIMARY KEY (CONTAINER, CLIENT_ID, SUB_NAME, PRIORITY))`,
    'CREATE INDEX IF NOT EXISTS ACTIVEMQ_ACKS_XIDX ON ACTIVEMQ_ACKS (XID)',
    `CREATE TABLE IF NOT EXISTS ACTIVEMQ_PRODUCER_AUDIT (
       PRODUCER_ID VARCHAR(250) PRIMARY KEY,
       LAST_SEQ BIGINT NOT NULL)`,
    ...POSTGRES_LOCK_TABLE_DDL,
  ];
}

/** Multi-row reads come in power-of-two row counts, so only a few SQL texts are ever prepared. */
export const MAX_ROWS_PER_STATEMENT = 512;

/** IN lists, not `= ANY($1)`: pg-mem silently matches nothing for `BIGINT = ANY(array)`. */
export function selectProducerAuditSql(rows: number): string {
  const params = Array.from({ length: rows }, (_, i) => `$${i + 1}`).join(', ');
  return `SELECT PRODUCER_ID, LAST_SEQ FROM ACTIVEMQ_PRODUCER_AUDIT WHERE PRODUCER_ID IN (${params})`;
}

/**
 * The writes of a group commit, as statements of ONE simple query (one implicit transaction, one
 * round trip): their values come in as literals from sql-literals.ts, never as raw input.
 */
export const FENCE_VIOLATION = 'fenced: ACTIVEMQ_LOCK epoch is not ours';

/**
 * The fence, one statement: lock row 1 FOR SHARE (a new master's epoch bump waits for this
 * transaction) and fail the whole transaction unless it holds our epoch. A failed cast, not a
 * division by zero: pg-mem answers x / 0 with NULL; both raise on an invalid integer (SQLSTATE
 * 22P02 in PostgreSQL). It answers one row; none means row 1 is gone (see the group writer).
 */
export function fenceSql(epochLiteral: string): string {
  return `SELECT CAST(CASE WHEN EPOCH = ${epochLiteral} THEN '1' ELSE '${FENCE_VIOLATION}' END AS INTEGER) AS FENCE
    FROM ACTIVEMQ_LOCK WHERE ID = 1 FOR SHARE`;
}

/** Each row: `(CONTAINER, MSGID_PROD, MSGID_SEQ, EXPIRATION, MSG, PRIORITY)` as literals. */
export function insertMessagesSql(rows: readonly string[]): string {
  return `INSERT INTO ACTIVEMQ_MSGS (CONTAINER, MSGID_PROD, MSGID_SEQ, EXPIRATION, MSG, PRIORITY)
    VALUES ${rows.join(', ')} RETURNING ID`;
}

/** The sequences were decided in JS from the producer audit cache: just store them. */
export function upsertProducerAuditSql(rows: readonly string[]): string {
  return `INSERT INTO ACTIVEMQ_PRODUCER_AUDIT (PRODUCER_ID, LAST_SEQ) VALUES ${rows.join(', ')}
    ON CONFLICT (PRODUCER_ID) DO UPDATE SET LAST_SEQ = EXCLUDED.LAST_SEQ`;
}

export function deleteMessagesSql(idLiterals: readonly string[]): string {
  return `DELETE FROM ACTIVEMQ_MSGS WHERE ID IN (${idLiterals.join(', ')})`;
}

/** LAST_ACKED_ID only moves forward. Arguments are literals. */
export function advanceLastAckSql(lastAckedId: string, container: string, clientId: string, subName: string): string {
  return `UPDATE ACTIVEMQ_ACKS SET LAST_ACKED_ID = ${lastAckedId}
    WHERE CONTAINER = ${container} AND CLIENT_ID = ${clientId} AND SUB_NAME = ${subName} AND PRIORITY = ${ACK_PRIORITY}
      AND (LAST_ACKED_ID IS NULL OR LAST_ACKED_ID < ${lastAckedId})`;
}

/** Arguments are literals, in column order. */
export function upsertSubscriptionSql(
  container: string,
  subDest: string,
  clientId: string,
  subName: string,
  selector: string,
  lastAckedId: string,
): string {
  return `INSERT INTO ACTIVEMQ_ACKS (CONTAINER, SUB_DEST, CLIENT_ID, SUB_NAME, SELECTOR, LAST_ACKED_ID, PRIORITY)
    VALUES (${container}, ${subDest}, ${clientId}, ${subName}, ${selector}, ${lastAckedId}, ${ACK_PRIORITY})
    ON CONFLICT (CONTAINER, CLIENT_ID, SUB_NAME, PRIORITY) DO UPDATE SET
      SUB_DEST = EXCLUDED.SUB_DEST, SELECTOR = EXCLUDED.SELECTOR, LAST_ACKED_ID = EXCLUDED.LAST_ACKED_ID`;
}

export function deleteSubscriptionSql(container: string, clientId: string, subName: string): string {
  return `DELETE FROM ACTIVEMQ_ACKS WHERE CONTAINER = ${container} AND CLIENT_ID = ${clientId} AND SUB_NAME = ${subName}`;
}

export const SQL = {
  selectContainers: 'SELECT CONTAINER FROM ACTIVEMQ_MSGS UNION SELECT CONTAINER FROM ACTIVEMQ_ACKS ORDER BY 1',
  selectMessages: `SELECT ID, CONTAINER, MSGID_PROD, MSGID_SEQ, EXPIRATION, MSG, PRIORITY FROM ACTIVEMQ_MSGS
    WHERE CONTAINER = $1 AND ID > $2 ORDER BY ID LIMIT $3`,
  selectSubscriptions:
    'SELECT CONTAINER, SUB_DEST, CLIENT_ID, SUB_NAME, SELECTOR, LAST_ACKED_ID FROM ACTIVEMQ_ACKS ORDER BY CONTAINER, CLIENT_ID, SUB_NAME',
  selectCounts: 'SELECT CONTAINER, COUNT(*) AS N FROM ACTIVEMQ_MSGS GROUP BY CONTAINER',
} as const;
