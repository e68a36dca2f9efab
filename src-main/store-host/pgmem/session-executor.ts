import type { FieldInfo } from 'pg-mem';
import pgMem from 'pg-mem';
import type { PgMemEngine, StatementResult, TxData } from './pgmem-engine.js';
import { lockKey, type RowLocks } from './row-locks.js';
import { glueStatement, identifier, lockingClause, parseDurationMs, parseSearchPath, type GlueStatement } from './sql-text.js';

export type TxStatus = 'I' | 'T' | 'E';

/** A failure with a SQLSTATE the wire session reports as is. */
export class SqlStateError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const TIMEOUT_SETTINGS = ['lock_timeout', 'statement_timeout', 'idle_in_transaction_session_timeout'];
const TEXT_FIELD = (name: string): FieldInfo => ({ name, type: pgMem.DataType.text, typeId: 25 });

/**
 * One session's SQL semantics over the shared engine: its transaction, its settings (search_path,
 * timeouts, SET LOCAL), and the EMULATED row locks its statements take or wait for.
 */
export class SessionExecutor {
  txStatus: TxStatus = 'I';
  private tx: TxData | null = null;
  /** The transaction PostgreSQL wraps around a multi-statement simple query outside BEGIN. */
  private implicit = false;
  private readonly settings = new Map<string, string>([
    ['search_path', '"$user", public'],
    ['lock_timeout', '0'],
    ['statement_timeout', '0'],
    ['idle_in_transaction_session_timeout', '0'],
    ['application_name', ''],
    ['transaction_isolation', 'read committed'],
  ]);
  private readonly localSaved = new Map<string, string>();

  constructor(
    readonly pid: number,
    private readonly engine: PgMemEngine,
    private readonly locks: RowLocks,
  ) {}

  setting(name: string): string | undefined {
    return this.settings.get(name);
  }

  timeoutMs(name: 'lock_timeout' | 'statement_timeout' | 'idle_in_transaction_session_timeout'): number {
    return parseDurationMs(this.settings.get(name) ?? '0') ?? 0;
  }

  applyStartupOption(name: string, value: string): void {
    this.set(name.toLowerCase(), value, false);
  }

  async execute(sql: string, params: readonly unknown[]): Promise<StatementResult> {
    const glue = glueStatement(sql);
    if (glue) return this.glue(glue);
    if (this.txStatus === 'E') throw new SqlStateError('25P02', 'current transaction is aborted, commands ignored until end of transaction block');
    try {
      return await this.run(sql, params);
    } catch (error) {
      if (this.txStatus === 'T') this.txStatus = 'E';
      throw error;
    }
  }

  beginImplicit(): void {
    if (this.txStatus !== 'I') return;
    this.tx = this.engine.begin();
    this.txStatus = 'T';
    this.implicit = true;
  }

  /** An error ended the current statement: the transaction it ran in is aborted. */
  markFailed(): void {
    if (this.txStatus === 'T') this.txStatus = 'E';
  }

  /** Commits the implicit transaction if every statement succeeded, else rolls it back. */
  endImplicit(): void {
    if (!this.implicit) return;
    const tx = this.txStatus === 'T' ? this.tx : null;
    this.endTransaction();
    if (tx) this.engine.commit(tx);
  }

  /** The session ended (socket closed, terminated): its transaction rolls back, its locks go. */
  close(): void {
    this.tx = null;
    this.txStatus = 'I';
    this.locks.abandon(this.pid);
  }

  private async run(sql: string, params: readonly unknown[]): Promise<StatementResult> {
    const clause = lockingClause(sql, params);
    let text = sql;
    if (clause) {
      const key = lockKey(this.resolveTable(clause.target.table), clause.target.row);
      const nowait = clause.kind === 'row-lock' && clause.nowait;
      const mode = clause.kind === 'row-lock' ? clause.mode : 'exclusive';
      await this.locks.acquire(this.pid, [key], mode, this.tx !== null, {
        nowait,
        lockTimeoutMs: this.timeoutMs('lock_timeout'),
        statementTimeoutMs: this.timeoutMs('statement_timeout'),
      });
      text = clause.sql;
    }
    return this.engine.run(this.searchPath(), text, params, this.tx);
  }

  private glue(statement: GlueStatement): StatementResult {
    const done = (command: string): StatementResult => ({ command, rowCount: 0, fields: [], rows: [] });
    switch (statement.kind) {
      case 'begin':
        this.implicit = false;
        if (this.txStatus === 'I') {
          this.tx = this.engine.begin();
          this.txStatus = 'T';
        }
        return done('BEGIN');
      case 'commit': {
        const failed = this.txStatus === 'E';
        const tx = this.tx;
        this.endTransaction();
        if (failed) return done('ROLLBACK');
        if (tx) this.engine.commit(tx);
        return done('COMMIT');
      }
      case 'rollback':
        this.endTransaction();
        return done('ROLLBACK');
      case 'set':
        this.set(statement.name, statement.value, statement.local);
        return done('SET');
      case 'reset':
        this.settings.delete(statement.name);
        return done('RESET');
      case 'show':
        return { command: 'SHOW', rowCount: 1, fields: [TEXT_FIELD(statement.name)], rows: [{ [statement.name]: this.settings.get(statement.name) ?? '' }] };
      case 'drop-schema':
        for (const name of statement.names) {
          if (!this.engine.dropSchema(name) && !statement.ifExists) throw new SqlStateError('3F000', `schema "${name}" does not exist`);
        }
        return done('DROP SCHEMA');
    }
  }

  private set(name: string, value: string, local: boolean): void {
    if (TIMEOUT_SETTINGS.includes(name) && parseDurationMs(value) === null) {
      throw new SqlStateError('22023', `invalid value for parameter "${name}": "${value}"`);
    }
    if (local) {
      if (this.txStatus === 'I') return;
      if (!this.localSaved.has(name)) this.localSaved.set(name, this.settings.get(name) ?? '');
    }
    this.settings.set(name, value);
  }

  private endTransaction(): void {
    this.implicit = false;
    this.tx = null;
    this.txStatus = 'I';
    for (const [name, value] of this.localSaved) this.settings.set(name, value);
    this.localSaved.clear();
    this.locks.releaseAll(this.pid);
  }

  private searchPath(): string[] {
    return parseSearchPath(this.settings.get('search_path') ?? 'public').filter((s) => s !== '$user');
  }

  /** `[schema.]table` → `schema.table`, resolved through this session's search path. */
  private resolveTable(written: string): string {
    const parts = written.split('.').map((p) => identifier(p.trim()));
    if (parts.length === 2) return `${parts[0]}.${parts[1]}`;
    const name = parts[0] as string;
    const path = this.searchPath();
    const schema = path.find((s) => this.engine.memory.schema(s)?.getTable(name, true)) ?? path[0] ?? 'public';
    return `${schema}.${name}`;
  }
}
