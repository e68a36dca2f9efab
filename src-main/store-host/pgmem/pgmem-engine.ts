import pgMem from 'pg-mem';
import type { FieldInfo, IPreparedQuery, ISchema } from 'pg-mem';
import { createMemoryDatabase, type BoundWithState, type DataMap, type MemoryDatabase } from './pgmem-internals.js';
import { rewriteByteaLiterals, rewriteClock } from './sql-text.js';

/** A session's open transaction: the committed data it started from, and that data with its own writes. */
export interface TxData {
  base: DataMap;
  own: DataMap;
}

export interface StatementResult {
  command: string;
  rowCount: number;
  fields: FieldInfo[];
  rows: Array<Record<string, unknown>>;
}

export interface DdlEntry {
  searchPath: string[];
  sql: string;
}

export class SerializationFailure extends Error {
  readonly code = '40001';
}

/** Session hooks for the functions pg-mem lacks (`pg_backend_pid`, `pg_terminate_backend`). */
export interface SessionDirectory {
  currentPid(): number;
  terminate(pid: number): boolean;
}

interface CachedStatement {
  /** null: pg-mem cannot compile it without parameter values (see `compileWithValues`). */
  prepared: IPreparedQuery | null;
  paramTypes: readonly string[];
}

const CACHE_SIZE = 2000;
const FALLBACK_CACHE_SIZE = 256;
const { DataType } = pgMem;

/**
 * pg-mem behind per-session transactions. Every statement runs synchronously on a snapshot; COMMIT
 * merges the session's changes into the committed data unless another session committed a change to
 * the same table or index since (then SQLSTATE 40001: pg-mem's optimism, made per table).
 */
export class PgMemEngine {
  readonly memory: MemoryDatabase;
  /** Every schema change in order, replayed by `load` before the rows (pg-mem cannot print its DDL). */
  readonly ddlLog: DdlEntry[] = [];
  private readonly cache = new Map<string, CachedStatement>();
  private readonly byValues = new Map<string, IPreparedQuery>();
  private compileTarget: { schema: ISchema; sql: string; result: IPreparedQuery | null } | null = null;

  constructor(private readonly sessions: SessionDirectory) {
    this.memory = createMemoryDatabase();
    this.registerFunctions();
    this.memory.db.on('schema-change', () => {
      this.cache.clear();
      this.byValues.clear();
    });
  }

  begin(): TxData {
    const committed = this.memory.committed();
    return { base: committed, own: committed };
  }

  /** Throws SerializationFailure when another session committed a conflicting change meanwhile. */
  commit(tx: TxData): void {
    const merged = merge(this.memory.committed(), tx.base, tx.own);
    if (merged === null) throw new SerializationFailure('could not serialize access due to concurrent update');
    this.memory.setCommitted(merged);
  }

  dropSchema(name: string): boolean {
    const dropped = this.memory.dropSchema(name);
    if (dropped) this.ddlLog.push({ searchPath: [], sql: `DROP SCHEMA "${name.replaceAll('"', '""')}"` });
    return dropped;
  }

  /** Runs one statement (no transaction control) in `tx`, or in a transaction of its own when null. */
  run(searchPath: readonly string[], sql: string, params: readonly unknown[], tx: TxData | null): StatementResult {
    return this.memory.withSearchPath(searchPath, () => {
      const text = rewriteByteaLiterals(rewriteClock(sql));
      const entry = this.statement(searchPath, text);
      const values = convertParams(params, entry.paramTypes);
      const prepared = entry.prepared ?? this.compileWithValues(searchPath, text, values);
      if (this.memory.isSelfCommitting(prepared)) return this.runDdl(searchPath, text, prepared);
      const bound = prepared.bind([...values]) as unknown as BoundWithState;
      const before = this.memory.committed();
      if (tx) this.rebase(tx, before);
      const result = bound.executeAll(this.memory.transactionOver(tx ? tx.own : before));
      const after = this.memory.dataOf(result.state);
      if (tx) tx.own = after;
      else this.memory.setCommitted(after);
      return toResult(result);
    });
  }

  private runDdl(searchPath: readonly string[], sql: string, prepared: IPreparedQuery): StatementResult {
    try {
      const result = toResult((prepared.bind() as unknown as BoundWithState).executeAll());
      this.ddlLog.push({ searchPath: [...searchPath], sql });
      return result;
    } catch (error) {
      // pg-mem skips the column list of an existing table, then rejects the statement for the unread AST.
      const skipped = error instanceof pgMem.NotSupported && /^\s*CREATE\s+(TABLE|INDEX|SEQUENCE)\s+IF\s+NOT\s+EXISTS\b/i.test(sql);
      if (!skipped) throw error;
      return { command: 'CREATE', rowCount: 0, fields: [], rows: [] };
    }
  }

  /** Read committed: a transaction sees what others committed, unless it wrote the same tables. */
  private rebase(tx: TxData, committed: DataMap): void {
    if (committed === tx.base) return;
    const merged = merge(committed, tx.base, tx.own);
    if (merged === null) return;
    tx.base = committed;
    tx.own = merged;
  }

  private statement(searchPath: readonly string[], sql: string): CachedStatement {
    const key = `${searchPath.join(',')}\0${sql}`;
    let entry = this.cache.get(key);
    if (entry) {
      // Least recently used goes first: SQL with inlined literals would otherwise grow it forever.
      this.cache.delete(key);
      this.cache.set(key, entry);
      return entry;
    }
    const schema = this.memory.db.getSchema();
    try {
      const prepared = schema.prepare(sql);
      entry = { prepared, paramTypes: paramTypesOf(prepared) };
    } catch (error) {
      // pg-mem 3.0 evaluates a parameter compared with an indexed column while compiling.
      if (!(error instanceof Error) || !error.message.includes('No execution context available')) throw error;
      entry = { prepared: null, paramTypes: [] };
    }
    if (this.cache.size >= CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, entry);
    return entry;
  }

  /** Compiles inside an execution that carries the parameter values; the plan is valid for those values only. */
  private compileWithValues(searchPath: readonly string[], sql: string, values: readonly unknown[]): IPreparedQuery {
    const schema = this.memory.db.getSchema();
    const key = `${searchPath.join(',')}\0${sql}\0${JSON.stringify(values, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : v))}`;
    const cached = this.byValues.get(key);
    if (cached) return cached;
    this.compileTarget = { schema, sql, result: null };
    try {
      schema.prepare('SELECT pgmem_glue_compile()').bind([...values]).executeAll();
      const compiled = this.compileTarget.result as IPreparedQuery | null;
      if (!compiled) throw new Error(`could not compile: ${sql}`);
      if (this.byValues.size >= FALLBACK_CACHE_SIZE) this.byValues.delete(this.byValues.keys().next().value as string);
      this.byValues.set(key, compiled);
      return compiled;
    } finally {
      this.compileTarget = null;
    }
  }

  private registerFunctions(): void {
    const catalog = this.memory.db.getSchema('pg_catalog');
    catalog.registerFunction({ name: 'pgmem_epoch_ms', returns: DataType.bigint, impure: true, implementation: () => Date.now() });
    catalog.registerFunction({ name: 'pgmem_bytea_hex', args: [DataType.text], returns: DataType.bytea, implementation: (hex: string) => Buffer.from(hex, 'hex') });
    catalog.registerFunction({ name: 'clock_timestamp', returns: DataType.timestamptz, impure: true, implementation: () => new Date() });
    catalog.registerFunction({ name: 'statement_timestamp', returns: DataType.timestamptz, impure: true, implementation: () => new Date() });
    catalog.registerFunction({ name: 'pg_backend_pid', returns: DataType.integer, impure: true, implementation: () => this.sessions.currentPid() });
    catalog.registerFunction({
      name: 'pg_terminate_backend',
      args: [DataType.integer],
      returns: DataType.bool,
      impure: true,
      implementation: (pid: number) => this.sessions.terminate(pid),
    });
    catalog.registerFunction({
      name: 'pgmem_glue_compile',
      returns: DataType.integer,
      impure: true,
      implementation: () => {
        const target = this.compileTarget;
        if (target) target.result = target.schema.prepare(target.sql);
        return 1;
      },
    });
  }
}

function paramTypesOf(prepared: IPreparedQuery): string[] {
  try {
    return prepared.describe().parameters.map((p) => p.type);
  } catch {
    return [];
  }
}

/** Text-format parameters as pg-mem expects them (it converts numbers itself). */
function convertParams(params: readonly unknown[], types: readonly string[]): unknown[] {
  return params.map((value, i) => {
    if (typeof value !== 'string') return value;
    switch (types[i]) {
      case DataType.bytea:
        return value.startsWith('\\x') ? Buffer.from(value.slice(2), 'hex') : Buffer.from(value, 'latin1');
      case DataType.bool:
        return /^(t|true|y|yes|on|1)$/i.test(value);
      case DataType.json:
      case DataType.jsonb:
        return JSON.parse(value) as unknown;
      case DataType.array:
        return parseArrayLiteral(value);
      default:
        return value;
    }
  });
}

/** `{a,"b c",NULL}` → ['a', 'b c', null] (one dimension: what pg sends for a JS array). */
function parseArrayLiteral(text: string): Array<string | null> {
  const body = text.slice(1, -1);
  const out: Array<string | null> = [];
  const re = /"((?:[^"\\]|\\.)*)"|([^,]+)/g;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    if (m[1] !== undefined) out.push(m[1].replace(/\\(.)/g, '$1'));
    else out.push(/^NULL$/i.test((m[2] as string).trim()) ? null : (m[2] as string).trim());
  }
  return out;
}

function toResult(result: { command: string; rowCount: number; fields: FieldInfo[]; rows: unknown[] }): StatementResult {
  return { command: result.command, rowCount: result.rowCount, fields: result.fields, rows: result.rows as Array<Record<string, unknown>> };
}

const isPrimitive = (v: unknown) => v === null || (typeof v !== 'object' && typeof v !== 'function');
const isEmptyCollection = (v: unknown) => (v as { size?: unknown } | null)?.size === 0;

/**
 * Three-way merge at pg-mem's granularity (one key per table's rows, index, sequence): the
 * session's changes since `base` go onto `committed`, unless `committed` changed the same key.
 */
export function merge(committed: DataMap, base: DataMap, own: DataMap): DataMap | null {
  if (committed === base) return own;
  if (own === base) return committed;
  const changed: Array<[unknown, unknown, boolean]> = [];
  own.forEach((value, key) => {
    const was = base.get(key);
    if (value === was || (was === undefined && isEmptyCollection(value))) return;
    changed.push([key, value, true]);
  });
  base.forEach((_value, key) => {
    if (!own.has(key)) changed.push([key, undefined, false]);
  });
  let result = committed;
  for (const [key, value, present] of changed) {
    const theirs = committed.get(key);
    if (theirs !== base.get(key) && !(isPrimitive(theirs) && isPrimitive(value))) return null;
    result = present ? result.set(key, value) : result.delete(key);
  }
  return result;
}
