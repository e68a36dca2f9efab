import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { BenchClient, summarize } from './bench-client.js';
import { Cluster, type LockerKind, type StoreKind } from '../test/support/cluster.js';
import type { BrokerProcess } from '../test/support/broker-process.js';

/**
 * Broker benchmarks (not tests: numbers to read, on a shared 2-core machine). Prints medians with
 * min/max for each store. Usage:
 *   node dist/bench/broker-bench.js [sqlite|postgres ...] [--quick] [--only=<part of a metric name>]
 */

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const stores = (args.filter((a) => !a.startsWith('--')) as StoreKind[]).filter((s) => s === 'sqlite' || s === 'postgres');
const STORES: StoreKind[] = stores.length ? stores : ['sqlite', 'postgres'];
const RUNS = quick ? 3 : 7;

async function tryConnect(port: number): Promise<BenchClient | null> {
  try {
    return await BenchClient.connect(port);
  } catch {
    return null;
  }
}

/** Polls the ports every few ms until one answers CONNECTED; returns that client. */
async function firstAccepting(ports: number[], timeoutMs = 30_000): Promise<{ client: BenchClient; port: number }> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    for (const port of ports) {
      const client = await tryConnect(port);
      if (client) return { client, port };
    }
    if (performance.now() > deadline) throw new Error('no broker accepted');
    await new Promise((r) => setTimeout(r, 2));
  }
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function withCluster<T>(store: StoreKind, locker: LockerKind, brokers: number, body: (c: Cluster) => Promise<T>): Promise<T> {
  const cluster = new Cluster({ store, locker, brokers, keepAliveMs: 1000, acquireSleepMs: 2000 });
  try {
    return await body(cluster);
  } finally {
    await cluster.stop();
  }
}

async function startup(store: StoreKind, brokers: number): Promise<number> {
  return withCluster(store, 'database-locker', 0, async (cluster) => {
    await cluster.start();
    const started = performance.now();
    const launched: BrokerProcess[] = [];
    for (let i = 1; i <= brokers; i++) launched.push(await cluster.launch(`broker${i}`));
    const { client } = await firstAccepting(launched.map((b) => b.port));
    const elapsed = performance.now() - started;
    client.close();
    return elapsed;
  });
}

interface ThroughputRun {
  rate: number;
  idleMasterRss: number;
  loadedMasterRss: number;
  slaveRss: number;
}

/**
 * `warmup` messages go to another queue first, untimed: a JIT runtime (Node, like ActiveMQ's JVM)
 * runs a broker that has been up for a while faster than a fresh one, so both are reported.
 */
async function throughput(store: StoreKind, count: number, inFlight: number, warmup: number): Promise<ThroughputRun> {
  return withCluster(store, 'database-locker', 2, async (cluster) => {
    await cluster.start();
    const master = await cluster.waitForMaster();
    const slave = cluster.brokers.find((b) => b !== master)!;
    await slave.waitForState('waiting-for-lock');
    await new Promise((r) => setTimeout(r, 500));
    const idleMasterRss = rssMb(master.pid);
    const client = await BenchClient.connect(master.port);
    if (warmup > 0) await client.sendPersistent('/queue/warmup', warmup, 100, inFlight);
    const ms = await client.sendPersistent('/queue/bench', count, 100, inFlight);
    client.close();
    return { rate: (count / ms) * 1000, idleMasterRss, loadedMasterRss: rssMb(master.pid), slaveRss: rssMb(slave.pid) };
  });
}

async function consumeRate(store: StoreKind, count: number): Promise<number> {
  return withCluster(store, 'database-locker', 1, async (cluster) => {
    await cluster.start();
    const master = await cluster.waitForMaster();
    const producer = await BenchClient.connect(master.port);
    await producer.sendPersistent('/queue/consume', count, 100, 1000);
    producer.close();
    const consumer = await BenchClient.connect(master.port);
    const ms = await consumer.consume('/queue/consume', count);
    consumer.close();
    return (count / ms) * 1000;
  });
}

/** kill -9 of the master → first RECEIPT of a persistent SEND on the new master, as a client sees it. */
async function failover(store: StoreKind, locker: LockerKind): Promise<number> {
  return withCluster(store, locker, 2, async (cluster) => {
    await cluster.start();
    const master = await cluster.waitForMaster();
    const other = cluster.brokers.find((b) => b !== master)!;
    await other.waitForState('waiting-for-lock');
    // Kill at a random point of the keep-alive cycle, as a real crash would.
    await new Promise((r) => setTimeout(r, Math.random() * 2000));
    const killedAt = performance.now();
    master.signal('SIGKILL');
    for (;;) {
      const { client } = await firstAccepting([other.port, master.port]);
      try {
        await client.sendPersistent('/queue/failover', 1, 100, 1);
        client.close();
        return performance.now() - killedAt;
      } catch {
        client.close();
      }
    }
  });
}

type Row = { metric: string; store: StoreKind; unit: string; median: number; min: number; max: number; n: number };
const rows: Row[] = [];

async function measure(metric: string, store: StoreKind, unit: string, runs: number, once: () => Promise<number>): Promise<void> {
  if (only !== undefined && !metric.includes(only)) return;
  const values: number[] = [];
  for (let i = 0; i < runs; i++) values.push(await once());
  const row = { metric, store, unit, ...summarize(values) };
  rows.push(row);
  process.stdout.write(`${metric.padEnd(58)} ${store.padEnd(9)} median ${row.median.toFixed(1).padStart(9)} ${unit}  (min ${row.min.toFixed(1)}, max ${row.max.toFixed(1)}, n=${row.n})\n`);
}

for (const store of STORES) {
  await measure('launch → master accepting STOMP (1 broker)', store, 'ms', RUNS, () => startup(store, 1));
  await measure('launch → master accepting STOMP (3 brokers)', store, 'ms', RUNS, () => startup(store, 3));
  const rss: ThroughputRun[] = [];
  await measure('persistent SEND+RECEIPT 100 B, one at a time, cold (fresh master)', store, 'msg/s', 3, async () => {
    const r = await throughput(store, quick ? 2000 : 5000, 1, 0);
    return r.rate;
  });
  await measure('persistent SEND+RECEIPT 100 B, one at a time, warm (after 5,000)', store, 'msg/s', 3, async () => {
    const r = await throughput(store, quick ? 2000 : 5000, 1, 5000);
    return r.rate;
  });
  await measure('persistent SEND 100 B, pipelined (1000 in flight)', store, 'msg/s', 3, async () => {
    const r = await throughput(store, quick ? 20_000 : 50_000, 1000, 10_000);
    rss.push(r);
    return r.rate;
  });
  await measure('consumer, client-individual acks', store, 'msg/s', 3, () => consumeRate(store, quick ? 10_000 : 20_000));
  await measure('kill -9 master → first receipt on new master (database-locker)', store, 'ms', RUNS, () => failover(store, 'database-locker'));
  await measure('kill -9 master → first receipt (lease 2000 / keep-alive 1000)', store, 'ms', quick ? 3 : 5, () => failover(store, 'lease-database-locker'));
  const memory: Array<[string, number[]]> = [
    ['RSS master, idle', rss.map((r) => r.idleMasterRss)],
    ['RSS master, holding the pipelined backlog in its queue', rss.map((r) => r.loadedMasterRss)],
    ['RSS slave', rss.map((r) => r.slaveRss)],
  ];
  for (const [metric, values] of memory) {
    if (values.length === 0) continue;
    const row = { metric, store, unit: 'MB', ...summarize(values) };
    rows.push(row);
    process.stdout.write(`${metric.padEnd(58)} ${store.padEnd(9)} median ${row.median.toFixed(1).padStart(9)} MB  (min ${row.min.toFixed(1)}, max ${row.max.toFixed(1)}, n=${row.n})\n`);
  }
}

mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL(`./results/broker-${Date.now()}.json`, import.meta.url), JSON.stringify(rows, null, 2));
