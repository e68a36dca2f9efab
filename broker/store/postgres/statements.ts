import { POSTGRES_LOCK_TABLE_DDL } from '../../lock/lock-table.js';

/**
 * PostgreSQL dialect of the store's SQL (ActiveMQ's `Statements` idea: one place per dialect).
 * Plain SQL only (INSERT ... RETURNING, UPDATE, DELETE ... IN): the lab also serves pg-mem over
 * the wire protocol, which has no advisory locks, SKIP LOCKED or LISTEN.
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

/** Multi-row statements come in power-of-two row counts, so only a few SQL texts are ever prepared. */
export const MAX_ROWS_PER_STATEMENT = 512;

function valuesList(rows: number, columns: number, offset = 0): string {
  const out: string[] = [];
  for (let r = 0; r < rows; r++) {
    const params: string[] = [];
    for (let c = 1; c <= columns; c++) params.push(`$${offset + r * columns + c}`);
    out.push(`(${params.join(', ')})`);
  }
  return out.join(', ');
}

export function insertMessagesSql(rows: number): string {
  return `INSERT INTO ACTIVEMQ_MSGS (CONTAINER, MSGID_PROD, MSGID_SEQ, EXPIRATION, MSG, PRIORITY)
    VALUES ${valuesList(rows, 6)} RETURNING ID`;
}

/** The sequences were computed in the transaction from `selectProducerAudit`: just store them. */
export function upsertProducerAuditSql(rows: number): string {
  return `INSERT INTO ACTIVEMQ_PRODUCER_AUDIT (PRODUCER_ID, LAST_SEQ) VALUES ${valuesList(rows, 2)}
    ON CONFLICT (PRODUCER_ID) DO UPDATE SET LAST_SEQ = EXCLUDED.LAST_SEQ`;
}

/** IN lists, not `= ANY($1)`: pg-mem silently matches nothing for `BIGINT = ANY(array)`. */
function inList(rows: number): string {
  return Array.from({ length: rows }, (_, i) => `$${i + 1}`).join(', ');
}

export function selectProducerAuditSql(rows: number): string {
  return `SELECT PRODUCER_ID, LAST_SEQ FROM ACTIVEMQ_PRODUCER_AUDIT WHERE PRODUCER_ID IN (${inList(rows)})`;
}

export function deleteMessagesSql(rows: number): string {
  return `DELETE FROM ACTIVEMQ_MSGS WHERE ID IN (${inList(rows)})`;
}

export const SQL = {
  /** LAST_ACKED_ID only moves forward. */
  advanceLastAck: `UPDATE ACTIVEMQ_ACKS SET LAST_ACKED_ID = $1
    WHERE CONTAINER = $2 AND CLIENT_ID = $3 AND SUB_NAME = $4 AND PRIORITY = ${ACK_PRIORITY}
      AND (LAST_ACKED_ID IS NULL OR LAST_ACKED_ID < $1)`,
  upsertSubscription: `INSERT INTO ACTIVEMQ_ACKS (CONTAINER, SUB_DEST, CLIENT_ID, SUB_NAME, SELECTOR, LAST_ACKED_ID, PRIORITY)
    VALUES ($1, $2, $3, $4, $5, $6, ${ACK_PRIORITY})
    ON CONFLICT (CONTAINER, CLIENT_ID, SUB_NAME, PRIORITY) DO UPDATE SET
      SUB_DEST = EXCLUDED.SUB_DEST, SELECTOR = EXCLUDED.SELECTOR, LAST_ACKED_ID = EXCLUDED.LAST_ACKED_ID`,
  deleteSubscription: 'DELETE FROM ACTIVEMQ_ACKS WHERE CONTAINER = $1 AND CLIENT_ID = $2 AND SUB_NAME = $3',
  selectContainers: 'SELECT CONTAINER FROM ACTIVEMQ_MSGS UNION SELECT CONTAINER FROM ACTIVEMQ_ACKS ORDER BY 1',
  selectMessages: `SELECT ID, CONTAINER, MSGID_PROD, MSGID_SEQ, EXPIRATION, MSG, PRIORITY FROM ACTIVEMQ_MSGS
    WHERE CONTAINER = $1 AND ID > $2 ORDER BY ID LIMIT $3`,
  selectSubscriptions:
    'SELECT CONTAINER, SUB_DEST, CLIENT_ID, SUB_NAME, SELECTOR, LAST_ACKED_ID FROM ACTIVEMQ_ACKS ORDER BY CONTAINER, CLIENT_ID, SUB_NAME',
  selectCounts: 'SELECT CONTAINER, COUNT(*) AS N FROM ACTIVEMQ_MSGS GROUP BY CONTAINER',
} as const;
