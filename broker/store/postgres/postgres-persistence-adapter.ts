import type pg from 'pg';
import { loadPg } from '../../util/cjs.js';
import type { Fence } from '../../lock/locker.js';
import { LabError } from '../../util/errors.js';
import type { Logger } from '../../util/log.js';
import { DatabasePersistenceAdapter, type WriteOp } from '../database-persistence-adapter.js';
import type { BatchResult, Container, DurableSubscription, StoredMessage } from '../persistence-adapter.js';
import { writeGroup } from './postgres-group-writer.js';
import { ProducerAuditCache } from './producer-audit-cache.js';
import { SQL, createSchemaStatements } from './statements.js';

export interface PostgresPersistenceAdapterOptions {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  /** Tables live in this schema (created when `createTables`); every connection sets `search_path`. */
  schema: string;
  createTables: boolean;
  logger: Logger;
  connectTimeoutMs?: number;
  /** A query without an answer for this long fails (a cut database link must not hang a commit). */
  queryTimeoutMs?: number;
}

interface MessageRow {
  id: number;
  container: string;
  msgid_prod: string | null;
  msgid_seq: number | null;
  expiration: number | null;
  msg: Buffer;
  priority: number | null;
}

interface AckRow {
  container: string;
  sub_dest: string | null;
  client_id: string;
  sub_name: string;
  selector: string | null;
  last_acked_id: number | null;
}

const INT8_OID = 20;
/** One writer (group commits are serial) plus readers for recovery and the lab's views. */
const POOL_SIZE = 3;
const MAX_GROUP_SIZE = 4_000;
/** A group is one query text with its bodies in hex: keep that text (and pg-mem's parse of it) bounded. */
const MAX_GROUP_BYTES = 8 * 1024 * 1024;
/** Producers whose last sequence the adapter remembers; beyond that the oldest are read again when seen. */
const AUDIT_CACHE_SIZE = 100_000;
const DDL_ATTEMPTS = 5;
/** SQLSTATE classes one op can cause: data exception, integrity constraint, program limit. */
const ISOLATABLE_SQLSTATE = /^(22|23|54)/;
/** Concurrent `CREATE ... IF NOT EXISTS` from several brokers can still collide on pg_type / pg_class. */
const DDL_RACE_SQLSTATES = new Set(['23505', '42P07', '42710']);

/** Ids and counts are BIGINT; they stay far below 2^53, so read them as numbers. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? (value: string) => Number(value)
      : loadPg().types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

/**
 * The store on PostgreSQL (a real server or the lab's pg-mem behind the wire protocol). Group
 * commit: while one transaction is in flight, the next batches queue and commit together next.
 */
export class PostgresPersistenceAdapter extends DatabasePersistenceAdapter {
  private pool: pg.Pool | null = null;
  private readonly audit = new ProducerAuditCache(AUDIT_CACHE_SIZE);

  constructor(private readonly options: PostgresPersistenceAdapterOptions) {
    super(
      options.logger.child({ store: 'postgres', host: options.host, port: options.port, schema: options.schema }),
      { maxGroupSize: MAX_GROUP_SIZE, maxGroupBytes: MAX_GROUP_BYTES },
    );
  }

  /** A new fence is a new mastership: another master may have advanced the producer audit meanwhile. */
  override setFence(fence: Fence | null): void {
    this.audit.clear();
    super.setFence(fence);
  }

  protected async openDatabase(): Promise<void> {
    const o = this.options;
    const quotedSchema = loadPg().escapeIdentifier(o.schema);
    const pool = new (loadPg().Pool)({
      host: o.host,
      port: o.port,
      database: o.database,
      user: o.user,
      password: o.password,
      max: POOL_SIZE,
      connectionTimeoutMillis: o.connectTimeoutMs ?? 5_000,
      query_timeout: o.queryTimeoutMs ?? 15_000,
      keepAlive: true,
      types,
      // Awaited before the pool hands the client out: a 'connect' listener's query would run
      // concurrently with the caller's first query (pg's "already executing a query" warning).
      onConnect: async (client) => {
        await client.query(`SET search_path TO ${quotedSchema}`);
      },
    });
    // An idle client losing its connection must not crash the broker; the next query reports it.
    pool.on('error', (error) => this.logger.log('warn', 'idle database connection failed', { error: error.message }));
    try {
      if (o.createTables) await createTables(pool, createSchemaStatements(quotedSchema));
      else await pool.query('SELECT 1');
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
    this.pool = pool;
  }

  protected async closeDatabase(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.end();
  }

  protected async writeGroup(ops: readonly WriteOp[], fence: Fence | null): Promise<BatchResult[]> {
    const client = await this.connection().connect();
    let broken: Error | undefined;
    // pg-pool drops its own error listener while a client is checked out: a FATAL notice arriving
    // then (a database restart) would be an unhandled 'error' that kills the broker.
    const onError = (error: Error) => {
      broken = error;
    };
    client.on('error', onError);
    try {
      return await writeGroup(client, ops, fence, this.audit);
    } catch (error) {
      // A server error ended its implicit transaction and a bad value or lost fence stopped it before
      // it was sent; anything else (a timeout, a lost link) may leave the connection mid-query.
      if (!isCleanFailure(error)) broken = error instanceof Error ? error : new Error(String(error));
      throw error;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  protected override sizeOf(op: WriteOp): number {
    if (op.kind !== 'batch') return 512;
    let bytes = 256 * ((op.batch.remove?.length ?? 0) + (op.batch.durableAcks?.length ?? 0));
    for (const m of op.batch.add ?? []) bytes += 512 + 2 * (m.msg?.byteLength ?? 0);
    return bytes;
  }

  protected canIsolate(error: unknown): boolean {
    if (error instanceof loadPg().DatabaseError) return ISOLATABLE_SQLSTATE.test(error.code ?? '');
    return error instanceof TypeError || error instanceof RangeError;
  }

  protected async readContainers(): Promise<Container[]> {
    const { rows } = await this.connection().query<{ container: string }>(SQL.selectContainers);
    return rows.map((r) => r.container);
  }

  protected async readMessages(container: Container, afterId: number, limit: number): Promise<StoredMessage[]> {
    const { rows } = await this.connection().query<MessageRow>({
      name: 'selectMessages',
      text: SQL.selectMessages,
      values: [container, afterId, limit],
    });
    return rows.map((r) => ({
      id: r.id,
      container: r.container,
      producerId: r.msgid_prod,
      producerSeq: r.msgid_seq,
      expiration: r.expiration ?? 0,
      priority: r.priority ?? 4,
      msg: r.msg,
    }));
  }

  protected async readSubscriptions(): Promise<DurableSubscription[]> {
    const { rows } = await this.connection().query<AckRow>(SQL.selectSubscriptions);
    return rows.map((r) => ({
      container: r.container,
      subDest: r.sub_dest ?? r.container,
      clientId: r.client_id,
      subName: r.sub_name,
      selector: r.selector,
      lastAckedId: r.last_acked_id ?? 0,
    }));
  }

  protected async readCounts(): Promise<Map<Container, number>> {
    const { rows } = await this.connection().query<{ container: string; n: number }>(SQL.selectCounts);
    return new Map(rows.map((r) => [r.container, r.n]));
  }

  private connection(): pg.Pool {
    if (!this.pool) throw new Error('database is closed');
    return this.pool;
  }
}

function isCleanFailure(error: unknown): boolean {
  return error instanceof loadPg().DatabaseError || error instanceof LabError || error instanceof TypeError || error instanceof RangeError;
}

/** Retried per statement: a broker can lose the creation race once for each table it creates. */
async function createTables(pool: pg.Pool, statements: readonly string[]): Promise<void> {
  for (const ddl of statements) {
    for (let attempt = 1; ; attempt++) {
      try {
        await pool.query(ddl);
        break;
      } catch (error) {
        const code = error instanceof loadPg().DatabaseError ? error.code : undefined;
        if (attempt >= DDL_ATTEMPTS || code === undefined || !DDL_RACE_SQLSTATES.has(code)) throw error;
      }
    }
  }
}

export function createPostgresPersistenceAdapter(options: PostgresPersistenceAdapterOptions): PostgresPersistenceAdapter {
  return new PostgresPersistenceAdapter(options);
}
