import { FailoverClient } from '../broker/client/index.js';
import { Cluster } from '../test/support/cluster.js';
import type { ClusterOptions, LockerKind, StoreKind } from '../test/support/cluster.js';

/**
 * kill -9 of the master → first receipted send on the new master, as a client sees it: the gap from
 * the last RECEIPT before the kill to the first one after, over `ROUNDS` failovers per locker × store.
 * Budgets (docs/benchmarks.md): database-locker p50 ≤ 150 ms; lease 2000/1000 p50 ≤ 1.8 s.
 * Run: npm run build:node && npx tsc -p tsconfig.bench.json && node dist/bench/failover-bench.js [rounds] [sqlite,postgres]
 */
const ROUNDS = Number(process.argv[2] ?? 20);
const STORES = (process.argv[3] ?? 'sqlite,postgres').split(',') as StoreKind[];

const CASES: Array<{ label: string; locker: LockerKind; options: Partial<ClusterOptions>; budgetMs: number }> = [
  { label: 'database-locker', locker: 'database-locker', options: {}, budgetMs: 150 },
  { label: 'lease 2000/1000', locker: 'lease-database-locker', options: { acquireSleepMs: 2000, keepAliveMs: 1000 }, budgetMs: 1800 },
];

async function measure(store: StoreKind, c: (typeof CASES)[number]): Promise<number[]> {
  const cluster = await new Cluster({ store, locker: c.locker, brokers: 2, ...c.options }).start();
  const gaps: number[] = [];
  try {
    await cluster.waitForMaster();
    const uri = `failover:(${cluster.brokers.map((b) => `stomp://127.0.0.1:${b.port}`).join(',')})?randomize=false&initialReconnectDelay=5&maxReconnectDelay=50`;
    const client = new FailoverClient(uri);
    await client.start();
    let lastReceipt = 0;
    const receipts: number[] = [];
    // Receipts the dead master sent just before the kill can still be read after it: only one
    // that arrives once the client is connected again comes from the new master.
    let resumedAt = 0;
    client.on((event) => {
      if (event.type === 'resumed') resumedAt = performance.now();
    });
    let running = true;
    const pump = (async () => {
      while (running) {
        await client.send('/queue/bench', 'x').then(() => {
          lastReceipt = performance.now();
          receipts.push(lastReceipt);
        }, () => undefined);
      }
    })();
    for (let round = 0; round < ROUNDS; round++) {
      const master = await cluster.waitForMaster(30_000);
      // Kill at a random point of the keep-alive cycle.
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 1000));
      const before = lastReceipt;
      const killedAt = performance.now();
      master.signal('SIGKILL');
      await master.exit;
      while (!(resumedAt > killedAt && receipts.length > 0 && receipts.at(-1)! > resumedAt)) await new Promise((r) => setTimeout(r, 2));
      const after = receipts.find((t) => t > resumedAt)!;
      gaps.push(Math.round(after - before));
      const restarted = await cluster.launch(master.name);
      await restarted.waitForState('waiting-for-lock', 30_000);
    }
    running = false;
    await pump;
    await client.close();
  } finally {
    await cluster.stop();
  }
  return gaps;
}

function summary(gaps: number[]): { p50: number; min: number; max: number } {
  const sorted = [...gaps].sort((a, b) => a - b);
  return { p50: sorted[Math.floor((sorted.length - 1) / 2)]!, min: sorted[0]!, max: sorted.at(-1)! };
}

for (const store of STORES) {
  for (const c of CASES) {
    const gaps = await measure(store, c);
    const s = summary(gaps);
    process.stdout.write(`${store.padEnd(8)} ${c.label.padEnd(16)} client gap p50 ${s.p50} ms (min ${s.min}, max ${s.max}) over ${gaps.length} kill -9 failovers; budget p50 <= ${c.budgetMs} ms: ${s.p50 <= c.budgetMs ? 'met' : 'MISSED'}\n`);
  }
}
