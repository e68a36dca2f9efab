import { POSTGRES_LOCK_TABLE_DDL } from '../../lock/index.js';

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

/** Multi-row statements come in power-of-two row counts, so only a few SQL texts are ever prepared. */
const MAX_ROWS_PER_STATEMENT = 512;

/** The row count of the next statement for `left` rows: the largest power of two that fits, at most 512. */
export function rowsPerStatement(left: number): number {
  let rows = MAX_ROWS_PER_STATEMENT;
  while (rows > left) rows >>= 1;
  return rows;
}

/** IN lists, not `= ANY($1)`: pg-mem silently matches nothing for `BIGINT = ANY(array)`. */
export function selectProducerAuditSql(rows: number): string {
  const params = Array.from({ length: rows }, (_, i) => `$${i + 1}`).join(', ');
  return `SELECT PRODUCER_ID, LAST_SEQ FROM ACTIVEMQ_PRODUCER_AUDIT WHERE PRODUCER_ID IN (${params})`;
}

/**
 * The writes of a group commit: prepared once per connection, then sent as Bind/Execute steps of
 * one pipelined transaction (pipeline.ts). Multi-row statements come in power-of-two row counts, so
 * a connection prepares a handful of texts, never one per group size.
 */
export const FENCE_VIOLATION = 'fenced: ACTIVEMQ_LOCK epoch is not ours';

/** Each distinct statement text has its own prepared name (`fl_` keeps clear of anyone else's). */
export interface PreparedSql {
  name: string;
  text: string;
}

/**
 * The fence, one statement: lock row 1 FOR SHARE (a new master's epoch bump waits for this
 * transaction) and fail the whole transaction unless it holds our epoch ($1). A failed cast, not a
 * division by zero: pg-mem answers x / 0 with NULL; both raise on an invalid integer (SQLSTATE
 * 22P02 in PostgreSQL). It answers one row; none means row 1 is gone (see the group writer).
 */
export const FENCE_SQL: PreparedSql = {
  name: 'fl_fence',
  text: `SELECT CAST(CASE WHEN EPOCH = $1 THEN '1' ELSE '${FENCE_VIOLATION}' END AS INTEGER) AS FENCE
    FROM ACTIVEMQ_LOCK WHERE ID = 1 FOR SHARE`,
};

/** `$1, $2, ...` for `rows` rows of `columns` parameters, each row in parentheses. */
function valueRows(rows: number, columns: number): string {
  return Array.from({ length: rows }, (_, r) => `(${Array.from({ length: columns }, (_, c) => `$${r * columns + c + 1}`).join(', ')})`).join(', ');
}

const memo = new Map<string, PreparedSql>();
function prepared(name: string, text: () => string): PreparedSql {
  let sql = memo.get(name);
  if (!sql) memo.set(name, (sql = { name, text: text() }));
  return sql;
}

/** Rows of `(CONTAINER, MSGID_PROD, MSGID_SEQ, EXPIRATION, MSG, PRIORITY)`; RETURNING ID in row order. */
export function insertMessagesSql(rows: number): PreparedSql {
  return prepared(`fl_insert_msgs_${rows}`, () =>
    `INSERT INTO ACTIVEMQ_MSGS (CONTAINER, MSGID_PROD, MSGID_SEQ, EXPIRATION, MSG, PRIORITY) VALUES ${valueRows(rows, 6)} RETURNING ID`,
  );
}

/** Rows of `(PRODUCER_ID, LAST_SEQ)`: the sequences were decided in JS from the producer audit cache. */
export function upsertProducerAuditSql(rows: number): PreparedSql {
  return prepared(`fl_upsert_audit_${rows}`, () =>
    `INSERT INTO ACTIVEMQ_PRODUCER_AUDIT (PRODUCER_ID, LAST_SEQ) VALUES ${valueRows(rows, 2)}
      ON CONFLICT (PRODUCER_ID) DO UPDATE SET LAST_SEQ = EXCLUDED.LAST_SEQ`,
  );
}

/** IN lists, not `= ANY($1)`: pg-mem silently matches nothing for `BIGINT = ANY(array)`. */
export function deleteMessagesSql(ids: number): PreparedSql {
  return prepared(`fl_delete_msgs_${ids}`, () =>
    `DELETE FROM ACTIVEMQ_MSGS WHERE ID IN (${Array.from({ length: ids }, (_, i) => `$${i + 1}`).join(', ')})`,
  );
}

/** `($1 lastAckedId, $2 container, $3 clientId, $4 subName)`; LAST_ACKED_ID only moves forward. */
export const ADVANCE_LAST_ACK_SQL: PreparedSql = {
  name: 'fl_advance_last_ack',
  text: `UPDATE ACTIVEMQ_ACKS SET LAST_ACKED_ID = $1
    WHERE CONTAINER = $2 AND CLIENT_ID = $3 AND SUB_NAME = $4 AND PRIORITY = ${ACK_PRIORITY}
      AND (LAST_ACKED_ID IS NULL OR LAST_ACKED_ID < $1)`,
};

/** `(CONTAINER, SUB_DEST, CLIENT_ID, SUB_NAME, SELECTOR, LAST_ACKED_ID)` as $1..$6. */
export const UPSERT_SUBSCRIPTION_SQL: PreparedSql = {
  name: 'fl_upsert_subscription',
  text: `INSERT INTO ACTIVEMQ_ACKS (CONTAINER, SUB_DEST, CLIENT_ID, SUB_NAME, SELECTOR, LAST_ACKED_ID, PRIORITY)
    VALUES ($1, $2, $3, $4, $5, $6, ${ACK_PRIORITY})
    ON CONFLICT (CONTAINER, CLIENT_ID, SUB_NAME, PRIORITY) DO UPDATE SET
      SUB_DEST = EXCLUDED.SUB_DEST, SELECTOR = EXCLUDED.SELECTOR, LAST_ACKED_ID = EXCLUDED.LAST_ACKED_ID`,
};

/** `($1 container, $2 clientId, $3 subName)`. */
export const DELETE_SUBSCRIPTION_SQL: PreparedSql = {
  name: 'fl_delete_subscription',
  text: 'DELETE FROM ACTIVEMQ_ACKS WHERE CONTAINER = $1 AND CLIENT_ID = $2 AND SUB_NAME = $3',
};

export const SQL = {
  selectContainers: 'SELECT CONTAINER FROM ACTIVEMQ_MSGS UNION SELECT CONTAINER FROM ACTIVEMQ_ACKS ORDER BY 1',
  selectMessages: `SELECT ID, CONTAINER, MSGID_PROD, MSGID_SEQ, EXPIRATION, MSG, PRIORITY FROM ACTIVEMQ_MSGS
    WHERE CONTAINER = $1 AND ID > $2 ORDER BY ID LIMIT $3`,
  selectSubscriptions:
    'SELECT CONTAINER, SUB_DEST, CLIENT_ID, SUB_NAME, SELECTOR, LAST_ACKED_ID FROM ACTIVEMQ_ACKS ORDER BY CONTAINER, CLIENT_ID, SUB_NAME',
  selectCounts: 'SELECT CONTAINER, COUNT(*) AS N FROM ACTIVEMQ_MSGS GROUP BY CONTAINER',
} as const;
