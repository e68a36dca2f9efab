import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { PgServer } from './activemq.js';

/**
 * The database's own limit for one message at a time, to put beside a broker's figure measured in
 * the same run: one client inserting one 100-byte row per transaction, durable at commit.
 */

export function pgServer(url: string): PgServer {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port || 5432), database: u.pathname.slice(1), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
}

/** Why pgbench cannot run here, or null. */
export function pgbenchMissing(): string | null {
  const probe = spawnSync('pgbench', ['--version'], { encoding: 'utf8' });
  return probe.error ? `pgbench not found (${probe.error.message}); Debian ships it in postgresql-client` : null;
}

export interface Pgbench {
  /** Transactions per second of `seconds` of single-row inserts by one client. */
  run(seconds: number): number;
  dispose(): Promise<void>;
}

/** A table of its own (bigserial key + 100-byte bytea, as a message row) in a fresh schema. */
export async function createPgbench(server: PgServer): Promise<Pgbench> {
  const schema = `bench_pgbench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client(server);
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.query(`CREATE TABLE ${schema}.rows (id BIGSERIAL PRIMARY KEY, body BYTEA)`);
  const dir = mkdtempSync(join(tmpdir(), 'failover-lab-pgbench-'));
  const script = join(dir, 'insert.sql');
  writeFileSync(script, `INSERT INTO ${schema}.rows (body) VALUES (convert_to(repeat('x', 100), 'UTF8'));\n`);
  return {
    run(seconds) {
      const args = ['-h', server.host, '-p', String(server.port), '-U', server.user, '-n', '-c', '1', '-T', String(seconds), '-f', script, server.database];
      const out = spawnSync('pgbench', args, { encoding: 'utf8', env: { ...process.env, PGPASSWORD: server.password } });
      const tps = /tps = ([\d.]+)/.exec(out.stdout)?.[1];
      if (out.status !== 0 || tps === undefined) throw new Error(`pgbench failed: ${out.stderr || out.stdout}`);
      return Number(tps);
    },
    async dispose() {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A bare better-sqlite3 loop with the broker's SQLite settings (WAL, `synchronous` as the broker's
 * durability): one 100-byte row per transaction, rows/s over `count` rows.
 */
export function sqliteInsertLoop(count: number, synchronous: 'NORMAL' | 'FULL' = 'NORMAL'): number {
  const dir = mkdtempSync(join(tmpdir(), 'failover-lab-sqlite-limit-'));
  const db = new Database(join(dir, 'bench.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous}`);
    db.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY AUTOINCREMENT, container TEXT, body BLOB)');
    const insert = db.prepare('INSERT INTO rows (container, body) VALUES (?, ?)');
    const body = randomBytes(100);
    const started = performance.now();
    for (let i = 0; i < count; i++) insert.run('queue://bench', body);
    return (count / (performance.now() - started)) * 1000;
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
