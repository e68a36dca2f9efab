import pgMem from 'pg-mem';
import type { IMemoryDb, IPreparedQuery, ISchema, QueryResult } from 'pg-mem';

/**
 * The few pg-mem 3.0 internals the glue relies on, typed in one place. pg-mem keeps all table data
 * in one immutable map held by a root transaction (`db.data`) and has no per-connection
 * transactions, so the glue runs each session's statements on a transaction of its own built
 * around a snapshot of that map, and merges it back on COMMIT.
 */

/** An Immutable.js Map keyed by pg-mem's per-table / per-index symbols. */
export interface DataMap {
  get(key: unknown): unknown;
  has(key: unknown): boolean;
  set(key: unknown, value: unknown): DataMap;
  delete(key: unknown): DataMap;
  forEach(fn: (value: unknown, key: unknown) => unknown): number;
}

/** pg-mem's `Transaction` class: `data` is private in its typings, public in JavaScript. */
interface PgMemTransaction {
  data: DataMap;
}

interface PgMemDbInternals {
  data: PgMemTransaction;
  searchPath: string[];
  schemas: Map<string, unknown>;
  getSchema(name?: string | null, nullIfNotFound?: boolean): ISchema | null;
  listSchemas(): NamedSchema[];
  onSchemaChange(): void;
}

export interface BoundWithState {
  executeAll(outerTx?: unknown): QueryResult & { state?: PgMemTransaction };
}

export type NamedSchema = ISchema & { readonly name: string };

export interface MemoryDatabase {
  readonly db: IMemoryDb;
  committed(): DataMap;
  setCommitted(data: DataMap): void;
  /** A transaction object over `data`, for `bound.executeAll(tx)`. */
  transactionOver(data: DataMap): unknown;
  dataOf(state: unknown): DataMap;
  /** Runs `body` with unqualified names resolving through `searchPath` (pg-mem's search path is global). */
  withSearchPath<T>(searchPath: readonly string[], body: () => T): T;
  schema(name: string): ISchema | null;
  listSchemas(): NamedSchema[];
  dropSchema(name: string): boolean;
  /** DDL compiles and commits while executing (pg-mem's PreparedQueryNoDescribe). */
  isSelfCommitting(prepared: IPreparedQuery): boolean;
}

export function createMemoryDatabase(): MemoryDatabase {
  const db = pgMem.newDb();
  const internals = db as unknown as PgMemDbInternals;
  const root = internals.data;
  const TransactionClass = root.constructor as new (parent: null, data: DataMap) => PgMemTransaction;
  const originalGetSchema = internals.getSchema.bind(db);
  let defaultSchema = 'public';
  // pg-mem creates unqualified tables in getSchema(null): make that the session's first schema.
  internals.getSchema = (name, nullIfNotFound) => originalGetSchema(name ?? defaultSchema, nullIfNotFound);
  return {
    db,
    committed: () => root.data,
    setCommitted: (data) => {
      root.data = data;
    },
    transactionOver: (data) => new TransactionClass(null, data),
    dataOf: (state) => (state as PgMemTransaction).data,
    withSearchPath(searchPath, body) {
      const existing = searchPath.filter((s) => internals.schemas.has(s));
      const savedPath = internals.searchPath;
      const savedDefault = defaultSchema;
      internals.searchPath = ['pg_catalog', ...existing];
      defaultSchema = existing[0] ?? 'public';
      try {
        return body();
      } finally {
        internals.searchPath = savedPath;
        defaultSchema = savedDefault;
      }
    },
    schema: (name) => originalGetSchema(name, true),
    listSchemas: () => internals.listSchemas(),
    dropSchema(name) {
      if (!internals.schemas.delete(name)) return false;
      internals.onSchemaChange();
      return true;
    },
    isSelfCommitting: (prepared) => prepared.constructor.name === 'PreparedQueryNoDescribe',
  };
}
