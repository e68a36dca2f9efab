import { readFile, writeFile } from 'node:fs/promises';
import type { IMemoryTable } from 'pg-mem';
import type { DdlEntry, PgMemEngine } from './pgmem-engine.js';
import type { DataMap } from './pgmem-internals.js';
import { glueStatement } from './sql-text.js';

/**
 * pg-mem across lab restarts, on request: the schema changes in the order they ran (pg-mem cannot
 * print DDL for its tables), then every table's rows and serial counters as of the last commit.
 */
interface Dump {
  format: 'failover-lab pg-mem dump';
  version: 1;
  ddl: DdlEntry[];
  tables: Array<{ schema: string; table: string; serials: Record<string, number>; rows: Array<Record<string, unknown>> }>;
}

const SYSTEM_SCHEMAS = new Set(['pg_catalog', 'information_schema']);

/** pg-mem keeps a table's serial counters under a private symbol in the committed data. */
interface TableInternals {
  serialsId: symbol;
}

export async function writeDump(engine: PgMemEngine, file: string): Promise<void> {
  const committed = engine.memory.committed();
  const tables: Dump['tables'] = [];
  for (const schema of engine.memory.listSchemas()) {
    if (SYSTEM_SCHEMAS.has(schema.name)) continue;
    for (const table of schema.listTables()) {
      const serials = (committed.get((table as unknown as TableInternals).serialsId) ?? null) as DataMap | null;
      const counters: Record<string, number> = {};
      serials?.forEach((value, key) => (counters[String(key)] = Number(value)));
      tables.push({ schema: schema.name, table: table.name, serials: counters, rows: table.find().map(encodeRow) });
    }
  }
  const dump: Dump = { format: 'failover-lab pg-mem dump', version: 1, ddl: engine.ddlLog, tables };
  await writeFile(file, JSON.stringify(dump));
}

export async function loadDump(engine: PgMemEngine, file: string): Promise<void> {
  const dump = JSON.parse(await readFile(file, 'utf8')) as Dump;
  if (dump.format !== 'failover-lab pg-mem dump' || dump.version !== 1) throw new Error(`${file} is not a pg-mem dump`);
  const used = engine.memory.listSchemas().some((s) => !SYSTEM_SCHEMAS.has(s.name) && [...s.listTables()].length > 0);
  if (used) throw new Error('pg-mem already has tables: load a dump into a fresh server');
  for (const entry of dump.ddl) {
    const glue = glueStatement(entry.sql);
    if (glue?.kind === 'drop-schema') for (const name of glue.names) engine.dropSchema(name);
    else engine.run(entry.searchPath, entry.sql, [], null);
  }
  for (const saved of dump.tables) {
    const table = engine.memory.db.getSchema(saved.schema).getTable(saved.table) as IMemoryTable<Record<string, unknown>>;
    for (const row of saved.rows) table.insert(decodeRow(row));
    const serialsId = (table as unknown as TableInternals).serialsId;
    let committed = engine.memory.committed();
    let serials = committed.get(serialsId) as DataMap | undefined;
    for (const [column, value] of Object.entries(saved.serials)) serials = serials?.set(column, value);
    if (serials) committed = committed.set(serialsId, serials);
    engine.memory.setCommitted(committed);
  }
}

function encodeRow(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Buffer.isBuffer(v) ? { $bytea: v.toString('base64') } : v instanceof Date ? { $date: v.toISOString() } : v]));
}

function decodeRow(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => {
      const tagged = v as { $bytea?: string; $date?: string } | null;
      if (typeof tagged?.$bytea === 'string') return [k, Buffer.from(tagged.$bytea, 'base64')];
      if (typeof tagged?.$date === 'string') return [k, new Date(tagged.$date)];
      return [k, v];
    }),
  );
}
