import type Database from 'better-sqlite3';
import { loadBetterSqlite3, openSqlite } from '../../util/cjs.js';
import { SELECT_EPOCH_SQL } from '../../lock/index.js';
import type { Fence } from '../../lock/locker.js';
import { FencedError } from '../../util/errors.js';
import type { Logger } from '../../util/log.js';
import { DatabasePersistenceAdapter, type WriteOp } from '../database-persistence-adapter.js';
import type {
  AddResult,
  BatchResult,
  Container,
  DurableSubscription,
  Durability,
  StoreBatch,
  StoredMessage,
} from '../persistence-adapter.js';
import { CREATE_SCHEMA_STATEMENTS, SQL } from './statements.js';

export interface SqlitePersistenceAdapterOptions {
  /** The database file every broker of the cluster opens. */
  file: string;
  durability: Durability;
  createTables: boolean;
  logger: Logger;
  /** How long a write waits for another process's write lock before failing (`busy_timeout`). */
  busyTimeoutMs?: number;
}

type Statements = Record<keyof typeof SQL | keyof typeof TRANSACTION_SQL, Database.Statement>;

/** Prepared once like every other statement: `db.exec` would parse them again on every commit. */
const TRANSACTION_SQL = { begin: 'BEGIN IMMEDIATE', commit: 'COMMIT', rollback: 'ROLLBACK' } as const;

interface MessageRow {
  ID: number;
  CONTAINER: string;
  MSGID_PROD: string | null;
  MSGID_SEQ: number | null;
  EXPIRATION: number | null;
  MSG: Buffer;
  PRIORITY: number | null;
}

interface AckRow {
  CONTAINER: string;
  SUB_DEST: string | null;
  CLIENT_ID: string;
  SUB_NAME: string;
  SELECTOR: string | null;
  LAST_ACKED_ID: number | null;
}

const DEFAULT_BUSY_TIMEOUT_MS = 5_000;
/** better-sqlite3 is synchronous: a group blocks the event loop while it runs, so keep it bounded. */
const MAX_GROUP_SIZE = 2_000;
/** SQLite errors that one op can cause (as opposed to a busy, full or broken database). */
const ISOLATABLE_CODES = /^SQLITE_(CONSTRAINT|TOOBIG|MISMATCH|RANGE)/;

/**
 * The store on one SQLite file shared by every broker of a cluster, in WAL mode so that readers
 * (slaves, the lab) are never blocked by the master's writes. Each group commit is one
 * `BEGIN IMMEDIATE` transaction; other processes' writers wait up to `busy_timeout`.
 */
export class SqlitePersistenceAdapter extends DatabasePersistenceAdapter {
  private db: Database.Database | null = null;
  private sql: Statements | null = null;
  /** Prepared on first use: ACTIVEMQ_LOCK may be created by the locker after we start. */
  private selectEpoch: Database.Statement | null = null;

  constructor(private readonly options: SqlitePersistenceAdapterOptions) {
    super(options.logger.child({ store: 'sqlite', file: options.file }), { maxGroupSize: MAX_GROUP_SIZE });
  }

  protected async openDatabase(): Promise<void> {
    const db = openSqlite(this.options.file);
    try {
      db.pragma(`busy_timeout = ${this.options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS}`);
      db.pragma('journal_mode = WAL');
      // NORMAL in WAL mode loses nothing on kill -9 of any process (only on power loss).
      db.pragma(`synchronous = ${this.options.durability.toUpperCase()}`);
      if (this.options.createTables) {
        db.transaction(() => CREATE_SCHEMA_STATEMENTS.forEach((ddl) => db.exec(ddl))).immediate();
      }
      const texts = { ...SQL, ...TRANSACTION_SQL };
      this.sql = Object.fromEntries(Object.entries(texts).map(([name, text]) => [name, db.prepare(text)])) as Statements;
      this.db = db;
    } catch (error) {
      db.close();
      throw error;
    }
  }

  protected async closeDatabase(): Promise<void> {
    this.db?.close();
    this.db = null;
    this.sql = null;
    this.selectEpoch = null;
  }

  protected async writeGroup(ops: readonly WriteOp[], fence: Fence | null): Promise<BatchResult[]> {
    const db = this.database();
    const sql = this.statements();
    sql.begin.run();
    try {
      if (fence) this.checkFence(db, fence);
      const results = ops.map((op) => this.apply(sql, op));
      // A large group takes time: the lease may have run out meanwhile.
      fence?.assertHeld();
      sql.commit.run();
      return results;
    } catch (error) {
      if (db.inTransaction) sql.rollback.run();
      throw error;
    }
  }

  protected canIsolate(error: unknown): boolean {
    if (error instanceof loadBetterSqlite3().SqliteError) return ISOLATABLE_CODES.test(error.code);
    return error instanceof TypeError || error instanceof RangeError;
  }

  protected async readContainers(): Promise<Container[]> {
    return (this.statements().selectContainers.all() as Array<{ CONTAINER: string }>).map((r) => r.CONTAINER);
  }

  protected async readMessages(container: Container, afterId: number, limit: number): Promise<StoredMessage[]> {
    const rows = this.statements().selectMessages.all(container, afterId, limit) as MessageRow[];
    return rows.map((r) => ({
      id: r.ID,
      container: r.CONTAINER,
      producerId: r.MSGID_PROD,
      producerSeq: r.MSGID_SEQ,
      expiration: r.EXPIRATION ?? 0,
      priority: r.PRIORITY ?? 4,
      msg: r.MSG,
    }));
  }

  protected async readSubscriptions(): Promise<DurableSubscription[]> {
    return (this.statements().selectSubscriptions.all() as AckRow[]).map((r) => ({
      container: r.CONTAINER,
      subDest: r.SUB_DEST ?? r.CONTAINER,
      clientId: r.CLIENT_ID,
      subName: r.SUB_NAME,
      selector: r.SELECTOR,
      lastAckedId: r.LAST_ACKED_ID ?? 0,
    }));
  }

  protected async readCounts(): Promise<Map<Container, number>> {
    const rows = this.statements().selectCounts.all() as Array<{ CONTAINER: string; N: number }>;
    return new Map(rows.map((r) => [r.CONTAINER, r.N]));
  }

  private checkFence(db: Database.Database, fence: Fence): void {
    fence.assertHeld();
    this.selectEpoch ??= db.prepare(SELECT_EPOCH_SQL);
    const row = this.selectEpoch.get() as { EPOCH: number } | undefined;
    if (row?.EPOCH !== fence.epoch) {
      throw new FencedError(
        `ACTIVEMQ_LOCK epoch is ${row ? String(row.EPOCH) : 'missing'}, ours is ${fence.epoch}: another broker is master`,
      );
    }
  }

  private apply(sql: Statements, op: WriteOp): BatchResult {
    switch (op.kind) {
      case 'batch':
        return this.applyBatch(sql, op.batch);
      case 'subscribe': {
        const s = op.sub;
        sql.upsertSubscription.run(s.container, s.subDest, s.clientId, s.subName, s.selector, s.lastAckedId);
        return { added: [] };
      }
      case 'unsubscribe':
        sql.deleteSubscription.run(op.container, op.clientId, op.subName);
        return { added: [] };
    }
  }

  private applyBatch(sql: Statements, batch: StoreBatch): BatchResult {
    const added: AddResult[] = [];
    for (const m of batch.add ?? []) {
      if (m.producerId !== null && m.producerSeq !== null) {
        if (sql.advanceProducerAudit.run(m.producerId, m.producerSeq).changes === 0) {
          added.push({ kind: 'duplicate' });
          continue;
        }
      }
      const info = sql.insertMessage.run(m.container, m.producerId, m.producerSeq, m.expiration, m.msg, m.priority);
      added.push({ kind: 'stored', id: Number(info.lastInsertRowid) });
    }
    for (const id of batch.remove ?? []) sql.deleteMessage.run(id);
    for (const a of batch.durableAcks ?? []) {
      sql.advanceLastAck.run(a.lastAckedId, a.container, a.clientId, a.subName, a.lastAckedId);
    }
    return { added };
  }

  private database(): Database.Database {
    if (!this.db) throw new Error('database is closed');
    return this.db;
  }

  private statements(): Statements {
    if (!this.sql) throw new Error('database is closed');
    return this.sql;
  }
}

export function createSqlitePersistenceAdapter(options: SqlitePersistenceAdapterOptions): SqlitePersistenceAdapter {
  return new SqlitePersistenceAdapter(options);
}
