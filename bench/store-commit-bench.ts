import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { NewMessage, PersistenceAdapter } from '../broker/store/persistence-adapter.js';
import { createPostgresPersistenceAdapter } from '../broker/store/postgres/postgres-persistence-adapter.js';
import { createSqlitePersistenceAdapter } from '../broker/store/sqlite/sqlite-persistence-adapter.js';
import { silentLogger } from '../broker/util/log.js';
import { startPgMemServer, type PgMemServer } from '../src-main/store-host/pgmem/index.js';
import { summarize } from './bench-client.js';

/**
 * Store commit benchmark (no broker, no STOMP): sequential single-message commits (each awaited, as a
 * sequential SEND+RECEIPT does) and a burst of concurrent ones, with a fence set as a master has it.
 * `pgmem` runs the PostgreSQL adapter against the lab's pg-mem wire server (in this process).
 * Usage: node dist/bench/store-commit-bench.js [sqlite|postgres|pgmem ...] [--runs N]
 */
type StoreKind = 'sqlite' | 'postgres' | 'pgmem';

const args = process.argv.slice(2);
const runsArg = args.indexOf('--runs');
const RUNS = runsArg >= 0 ? Number(args[runsArg + 1]) : 5;
const chosen = args.filter((a): a is StoreKind => a === 'sqlite' || a === 'postgres' || a === 'pgmem');
const STORES: StoreKind[] = chosen.length ? chosen : ['sqlite', 'postgres'];
const SEQUENTIAL = { sqlite: 5_000, postgres: 2_000, pgmem: 500 } as const;
const CONCURRENT = { sqlite: 10_000, postgres: 10_000, pgmem: 2_000 } as const;
const BODY = randomBytes(100);

interface BenchStore {
  adapter: PersistenceAdapter;
  destroy(): Promise<void>;
}

function message(producer: string, seq: number): NewMessage {
  return { container: 'queue://BENCH', producerId: producer, producerSeq: seq, expiration: 0, priority: 4, msg: BODY };
}

async function sqliteStore(): Promise<BenchStore> {
  const dir = mkdtempSync(join(tmpdir(), 'store-bench-'));
  const file = join(dir, 'activemq.db');
  const adapter = createSqlitePersistenceAdapter({ file, durability: 'normal', createTables: true, logger: silentLogger });
  await adapter.start();
  const db = new Database(file);
  db.prepare('UPDATE ACTIVEMQ_LOCK SET EPOCH = 1 WHERE ID = 1').run();
  db.close();
  return { adapter, destroy: async () => rmSync(dir, { recursive: true, force: true }) };
}

let pgmem = null as PgMemServer | null;

async function postgresStore(kind: 'postgres' | 'pgmem'): Promise<BenchStore> {
  if (kind === 'pgmem') pgmem ??= await startPgMemServer();
  const url = new URL(kind === 'pgmem' && pgmem ? pgmem.url : (process.env['FAILOVER_LAB_PG_URL'] ?? 'postgres://failover_lab:failover_lab@127.0.0.1:5432/failover_lab'));
  const server = {
    host: url.hostname,
    port: Number(url.port || 5432),
    database: url.pathname.slice(1),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  };
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  const adapter = createPostgresPersistenceAdapter({ ...server, schema, createTables: true, logger: silentLogger });
  await adapter.start();
  const admin = new pg.Client(server);
  await admin.connect();
  await admin.query(`UPDATE ${schema}.ACTIVEMQ_LOCK SET EPOCH = 1 WHERE ID = 1`);
  return {
    adapter,
    destroy: async () => {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}

interface Run {
  rate: number;
  /** This process's CPU (user + system) per commit: steadier than the rate on a shared machine. */
  cpuUsPerCommit: number;
}

async function measure(kind: StoreKind, body: (adapter: PersistenceAdapter) => Promise<number>): Promise<Run> {
  const store = kind === 'sqlite' ? await sqliteStore() : await postgresStore(kind);
  try {
    store.adapter.setFence({ epoch: 1, assertHeld: () => undefined });
    const started = performance.now();
    const cpu = process.cpuUsage();
    const n = await body(store.adapter);
    const used = process.cpuUsage(cpu);
    return { rate: n / ((performance.now() - started) / 1000), cpuUsPerCommit: (used.user + used.system) / n };
  } finally {
    await store.adapter.stop();
    await store.destroy();
  }
}

async function sequential(adapter: PersistenceAdapter, n: number): Promise<number> {
  for (let seq = 1; seq <= n; seq++) {
    const { added } = await adapter.commit({ add: [message('ID:bench-seq', seq)] });
    if (added[0]?.kind !== 'stored') throw new Error(`commit ${seq} was not stored`);
  }
  return n;
}

async function concurrent(adapter: PersistenceAdapter, n: number): Promise<number> {
  const results = await Promise.all(Array.from({ length: n }, (_, i) => adapter.commit({ add: [message(`ID:bench-${i % 50}`, i + 1)] })));
  if (results.some((r) => r.added[0]?.kind !== 'stored')) throw new Error('a concurrent commit was not stored');
  return n;
}

function report(label: string, runs: Run[]): void {
  const s = summarize(runs.map((r) => r.rate));
  const cpu = summarize(runs.map((r) => r.cpuUsPerCommit)).median;
  const fmt = (v: number) => Math.round(v).toLocaleString('en-US');
  console.log(`${label.padEnd(36)} median ${fmt(s.median)} msg/s (min ${fmt(s.min)}, max ${fmt(s.max)}, n=${s.n}), client CPU ${cpu.toFixed(1)} us/commit`);
}

for (const kind of STORES) {
  const seq: Run[] = [];
  const conc: Run[] = [];
  for (let run = 0; run < RUNS; run++) {
    seq.push(await measure(kind, (a) => sequential(a, SEQUENTIAL[kind])));
    conc.push(await measure(kind, (a) => concurrent(a, CONCURRENT[kind])));
  }
  report(`${kind} sequential x${SEQUENTIAL[kind]}`, seq);
  report(`${kind} concurrent x${CONCURRENT[kind]}`, conc);
}
await pgmem?.stop();
