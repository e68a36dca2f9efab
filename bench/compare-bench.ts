import { mkdirSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { activemqMissing, startActiveMq, type RunningActiveMq } from './activemq.js';
import { BenchClient, summarize } from './bench-client.js';
import { createPgbench, pgServer, pgbenchMissing, sqliteInsertLoop, type Pgbench } from './db-limits.js';
import { Cluster, PG_URL } from '../test/support/cluster.js';
import { freePort } from '../test/support/broker-process.js';

/**
 * Side by side, in one run: our broker, a real ActiveMQ where it is installed (JDBC on the same
 * PostgreSQL), and the database's own limit (pgbench for PostgreSQL, a bare better-sqlite3 loop for
 * SQLite), with ratios per run and their min/median/max. On a shared machine an absolute figure
 * means little on its own; a ratio to a reference measured minutes apart means more, and the
 * reference is measured right before and right after ours and averaged.
 *   node dist/bench/compare-bench.js [postgres] [sqlite] [--runs N] [--count N] [--seconds N]
 */

const args = process.argv.slice(2);
const opt = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const RUNS = opt('runs', 3);
const COUNT = opt('count', 3000);
const SECONDS = opt('seconds', 3);
const PIPELINED = 20_000;
/** ActiveMQ takes ~200 in-flight messages at ~1,500/s: fewer, so one run stays within minutes. */
const PIPELINED_ACTIVEMQ = 4_000;
const IN_FLIGHT = 200;
const chosen = args.filter((a) => a === 'postgres' || a === 'sqlite');
const STORES = chosen.length ? chosen : ['postgres', 'sqlite'];

type Metric = 'sequential' | 'pipelined' | 'consumer';
interface Sample {
  metric: Metric;
  store: string;
  ours: number;
  activemq: number | null;
  reference: number | null;
}
const samples: Sample[] = [];
let queueNo = 0;

async function sequential(port: number, count: number): Promise<number> {
  const client = await BenchClient.connect(port);
  try {
    return (count / (await client.sendPersistent(`/queue/seq${++queueNo}`, count, 100, 1))) * 1000;
  } finally {
    client.close();
  }
}

async function pipelinedAndConsume(port: number, count = PIPELINED): Promise<{ pipelined: number; consumer: number }> {
  const queue = `/queue/pipe${++queueNo}`;
  const producer = await BenchClient.connect(port);
  const pipelined = (count / (await producer.sendPersistent(queue, count, 100, IN_FLIGHT))) * 1000;
  producer.close();
  const consumer = await BenchClient.connect(port);
  const consumed = (count / (await consumer.consume(queue, count))) * 1000;
  consumer.close();
  return { pipelined, consumer: consumed };
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

async function postgres(): Promise<void> {
  const server = pgServer(PG_URL);
  const noPgbench = pgbenchMissing();
  if (noPgbench) console.log(`PostgreSQL reference skipped: ${noPgbench}`);
  const pgbench: Pgbench | null = noPgbench ? null : await createPgbench(server);
  const cluster = new Cluster({ store: 'postgres', locker: 'database-locker', brokers: 1 });
  const noActivemq = activemqMissing();
  if (noActivemq) console.log(`ActiveMQ skipped: ${noActivemq}`);
  let activemq: RunningActiveMq | null = null;
  const admin = new pg.Client(server);
  const amqSchema = `bench_activemq_${Date.now().toString(36)}`;
  try {
    await cluster.start();
    const ours = (await cluster.waitForMaster()).port;
    if (!noActivemq) {
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${amqSchema}`);
      activemq = await startActiveMq(server, amqSchema, await freePort());
    }
    // Both brokers run warm: the first thousands of messages on a fresh JIT (V8, the JVM) are slower.
    await sequential(ours, 2000);
    if (activemq) await sequential(activemq.port, 2000);
    for (let run = 1; run <= RUNS; run++) {
      const before = pgbench?.run(SECONDS) ?? null;
      const rate = await sequential(ours, COUNT);
      const amqRate = activemq ? await sequential(activemq.port, COUNT) : null;
      const after = pgbench?.run(SECONDS) ?? null;
      const reference = before !== null && after !== null ? (before + after) / 2 : null;
      samples.push({ metric: 'sequential', store: 'postgres', ours: rate, activemq: amqRate, reference });
      const p = await pipelinedAndConsume(ours);
      const a = activemq ? await pipelinedAndConsume(activemq.port, PIPELINED_ACTIVEMQ) : null;
      samples.push({ metric: 'pipelined', store: 'postgres', ours: p.pipelined, activemq: a?.pipelined ?? null, reference: null });
      samples.push({ metric: 'consumer', store: 'postgres', ours: p.consumer, activemq: a?.consumer ?? null, reference: null });
      console.log(
        `postgres run ${run}: SEND+RECEIPT one at a time ours ${fmt(rate)} msg/s, pgbench ${reference === null ? '-' : fmt(reference)} tx/s` +
          `${amqRate === null ? '' : `, ActiveMQ ${fmt(amqRate)}`}; pipelined ours ${fmt(p.pipelined)}${a ? ` ActiveMQ ${fmt(a.pipelined)}` : ''}; ` +
          `consumer ours ${fmt(p.consumer)}${a ? ` ActiveMQ ${fmt(a.consumer)}` : ''}`,
      );
    }
  } finally {
    await activemq?.stop();
    if (activemq || !noActivemq) await admin.query(`DROP SCHEMA IF EXISTS ${amqSchema} CASCADE`).catch(() => undefined);
    await admin.end().catch(() => undefined);
    await cluster.stop();
    await pgbench?.dispose();
  }
}

async function sqlite(): Promise<void> {
  const cluster = new Cluster({ store: 'sqlite', locker: 'database-locker', brokers: 1 });
  try {
    await cluster.start();
    const ours = (await cluster.waitForMaster()).port;
    await sequential(ours, 2000);
    sqliteInsertLoop(2000);
    for (let run = 1; run <= RUNS; run++) {
      const before = sqliteInsertLoop(COUNT * 2);
      const rate = await sequential(ours, COUNT * 2);
      const after = sqliteInsertLoop(COUNT * 2);
      samples.push({ metric: 'sequential', store: 'sqlite', ours: rate, activemq: null, reference: (before + after) / 2 });
      const p = await pipelinedAndConsume(ours);
      samples.push({ metric: 'pipelined', store: 'sqlite', ours: p.pipelined, activemq: null, reference: null });
      samples.push({ metric: 'consumer', store: 'sqlite', ours: p.consumer, activemq: null, reference: null });
      console.log(`sqlite run ${run}: SEND+RECEIPT one at a time ours ${fmt(rate)} msg/s, bare better-sqlite3 loop ${fmt((before + after) / 2)} rows/s; pipelined ${fmt(p.pipelined)}; consumer ${fmt(p.consumer)}`);
    }
  } finally {
    await cluster.stop();
  }
}

function range(values: number[], digits: number): string {
  const s = summarize(values);
  return `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}-${s.max.toFixed(digits)}, n=${s.n})`;
}

function report(): void {
  console.log('\nratios, median (min-max) over the runs:');
  for (const store of STORES) {
    for (const metric of ['sequential', 'pipelined', 'consumer'] as const) {
      const rows = samples.filter((s) => s.store === store && s.metric === metric);
      if (rows.length === 0) continue;
      const parts = [`ours ${range(rows.map((r) => r.ours), 0)} msg/s`];
      const ref = rows.filter((r) => r.reference !== null);
      if (ref.length) parts.push(`ours / ${store === 'postgres' ? 'pgbench' : 'bare SQLite loop'} ${range(ref.map((r) => r.ours / r.reference!), 2)}`);
      const amq = rows.filter((r) => r.activemq !== null);
      if (amq.length) parts.push(`ours / ActiveMQ ${range(amq.map((r) => r.ours / r.activemq!), 2)}`);
      console.log(`  ${store.padEnd(8)} ${metric.padEnd(10)} ${parts.join('; ')}`);
    }
  }
}

if (STORES.includes('postgres')) await postgres();
if (STORES.includes('sqlite')) await sqlite();
report();
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL(`./results/compare-${Date.now()}.json`, import.meta.url), JSON.stringify(samples, null, 2));
