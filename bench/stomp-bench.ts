import { readFileSync } from 'node:fs';
import net from 'node:net';
import { BenchClient, summarize } from './bench-client.js';
import { Cluster, type StoreKind } from '../test/support/cluster.js';

/**
 * STOMP benchmarks against real broker processes (not tests: numbers to read on a shared 2-core
 * machine): pipelined persistent SEND, consumer throughput with client-individual and auto acks,
 * fan-out to 10 topic subscribers, and 1,000 idle connections held (memory per connection).
 * Usage: node dist/bench/stomp-bench.js [sqlite|postgres ...] [--quick]
 */

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const stores = (args.filter((a) => !a.startsWith('--')) as StoreKind[]).filter((s) => s === 'sqlite' || s === 'postgres');
const STORES: StoreKind[] = stores.length ? stores : ['sqlite'];
const RUNS = 3;

function rssMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}

async function withMaster<T>(store: StoreKind, body: (port: number, pid: number) => Promise<T>): Promise<T> {
  const cluster = new Cluster({ store, locker: 'database-locker', brokers: 1 });
  try {
    await cluster.start();
    const master = await cluster.waitForMaster();
    return await body(master.port, master.pid);
  } finally {
    await cluster.stop();
  }
}

/** A raw STOMP peer that counts MESSAGE frames and, in client-individual mode, acks each one. */
class CountingConsumer {
  received = 0;
  private pending: Buffer = Buffer.alloc(0);
  private onCount: () => void = () => {};

  private constructor(private readonly socket: net.Socket) {}

  static async connect(port: number): Promise<CountingConsumer> {
    const socket = net.connect({ host: '127.0.0.1', port, noDelay: true });
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const consumer = new CountingConsumer(socket);
    const connected = new Promise<void>((resolve) => (consumer.onCount = resolve));
    socket.on('data', (chunk: Buffer) => consumer.feed(chunk));
    socket.write('CONNECT\naccept-version:1.2\nhost:/\nheart-beat:0,0\n\n\0');
    await connected;
    return consumer;
  }

  private ackMode: 'auto' | 'client-individual' = 'auto';
  private connected = false;

  private feed(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    let start = 0;
    let acks = '';
    for (;;) {
      const nul = this.pending.indexOf(0, start);
      if (nul < 0) break;
      let s = start;
      while (this.pending[s] === 10 || this.pending[s] === 13) s++;
      if (!this.connected) {
        this.connected = true;
      } else if (this.pending[s] === 0x4d /* M */) {
        this.received++;
        if (this.ackMode === 'client-individual') {
          const at = this.pending.indexOf('\nack:', s);
          const end = this.pending.indexOf(10, at + 5);
          acks += `ACK\nid:${this.pending.toString('latin1', at + 5, end)}\n\n\0`;
        }
      }
      start = nul + 1;
    }
    this.pending = this.pending.subarray(start);
    if (acks) this.socket.write(acks);
    this.onCount();
  }

  /** Subscribes and resolves with elapsed ms once `count` messages arrived in total. */
  subscribe(destination: string, ack: 'auto' | 'client-individual', count: number, id = '1'): { receipted: Promise<void>; done: Promise<number> } {
    this.ackMode = ack;
    const started = performance.now();
    let resolveReceipt: () => void = () => {};
    const receipted = new Promise<void>((r) => (resolveReceipt = r));
    const done = new Promise<number>((resolve) => {
      this.onCount = () => {
        resolveReceipt();
        if (this.received >= count) resolve(performance.now() - started);
      };
    });
    this.socket.write(`SUBSCRIBE\nid:${id}\ndestination:${destination}\nack:${ack}\nreceipt:s\n\n\0`);
    return { receipted, done };
  }

  close(): void {
    this.socket.destroy();
  }
}

async function pipelinedSend(store: StoreKind, count: number): Promise<number> {
  return withMaster(store, async (port) => {
    const client = await BenchClient.connect(port);
    const ms = await client.sendPersistent('/queue/bench', count, 100, 1000);
    client.close();
    return (count / ms) * 1000;
  });
}

/** Persistent messages already queued, then one consumer drains them. */
async function consumeRate(store: StoreKind, ack: 'auto' | 'client-individual', count: number): Promise<number> {
  return withMaster(store, async (port) => {
    const producer = await BenchClient.connect(port);
    await producer.sendPersistent('/queue/consume', count, 100, 1000);
    producer.close();
    const consumer = await CountingConsumer.connect(port);
    const ms = await consumer.subscribe('/queue/consume', ack, count).done;
    consumer.close();
    return (count / ms) * 1000;
  });
}

/** Non-persistent topic messages to 10 subscribers: deliveries per second (messages × 10). */
async function fanOut(store: StoreKind, count: number, subscribers = 10): Promise<number> {
  return withMaster(store, async (port) => {
    const consumers = await Promise.all(Array.from({ length: subscribers }, () => CountingConsumer.connect(port)));
    const runs = consumers.map((c) => c.subscribe('/topic/fanout', 'auto', count));
    await Promise.all(runs.map((r) => r.receipted));
    const started = performance.now();
    await sendNonPersistentTopic(port, count);
    await Promise.all(runs.map((r) => r.done));
    const ms = performance.now() - started;
    for (const c of consumers) c.close();
    return ((count * subscribers) / ms) * 1000;
  });
}

/** Pipelined non-persistent SENDs with a receipt on every 100th (the broker's order makes that enough). */
async function sendNonPersistentTopic(port: number, count: number): Promise<void> {
  const socket = net.connect({ host: '127.0.0.1', port, noDelay: true });
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  const body = 'x'.repeat(100);
  socket.write('CONNECT\naccept-version:1.2\nhost:/\n\n\0');
  let sent = 0;
  await new Promise<void>((resolve) => {
    let receipts = 0;
    socket.on('data', (chunk: Buffer) => {
      for (let i = chunk.indexOf('RECEIPT'); i >= 0; i = chunk.indexOf('RECEIPT', i + 1)) receipts++;
      if (sent >= count) {
        if (receipts * 100 >= count) resolve();
        return;
      }
      if (sent - receipts * 100 < 2000) pump();
    });
    const pump = () => {
      let batch = '';
      for (let i = 0; i < 1000 && sent < count; i++, sent++) {
        batch += `SEND\ndestination:/topic/fanout\n${sent % 100 === 99 ? `receipt:${sent}\n` : ''}content-length:100\n\n${body}\0`;
      }
      socket.write(batch);
    };
    pump();
  });
  socket.destroy();
}

/** 1,000 connected, idle STOMP clients (CONNECT + one SUBSCRIBE each): broker RSS growth per connection. */
async function idleConnections(store: StoreKind, n: number): Promise<{ perConnectionKb: number; totalMb: number }> {
  return withMaster(store, async (port, pid) => {
    await new Promise((r) => setTimeout(r, 300));
    const before = rssMb(pid);
    const sockets: net.Socket[] = [];
    for (let i = 0; i < n; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, n - i) }, async (_, j) => {
          const socket = net.connect({ host: '127.0.0.1', port });
          await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
          const ready = new Promise<void>((resolve) => {
            let seen = '';
            socket.on('data', (c: Buffer) => {
              seen += c.toString('latin1');
              if (seen.includes('RECEIPT')) resolve();
            });
          });
          socket.write(`CONNECT\naccept-version:1.2\nhost:/\n\n\0SUBSCRIBE\nid:1\ndestination:/queue/idle.${i + j}\nreceipt:r\n\n\0`);
          await ready;
          return socket;
        }),
      );
      sockets.push(...batch);
    }
    await new Promise((r) => setTimeout(r, 500));
    const after = rssMb(pid);
    for (const s of sockets) s.destroy();
    return { perConnectionKb: ((after - before) * 1024) / n, totalMb: after };
  });
}

async function measure(metric: string, store: StoreKind, unit: string, once: () => Promise<number>): Promise<void> {
  const values: number[] = [];
  for (let i = 0; i < RUNS; i++) values.push(await once());
  const row = summarize(values);
  process.stdout.write(`${metric.padEnd(58)} ${store.padEnd(9)} median ${row.median.toFixed(1).padStart(9)} ${unit}  (min ${row.min.toFixed(1)}, max ${row.max.toFixed(1)}, n=${row.n})\n`);
}

for (const store of STORES) {
  const n = quick ? 10_000 : 20_000;
  await measure('persistent SEND 100 B, pipelined (1000 in flight)', store, 'msg/s', () => pipelinedSend(store, n));
  await measure('consumer, client-individual acks (queued persistent)', store, 'msg/s', () => consumeRate(store, 'client-individual', n));
  await measure('consumer, auto acks (queued persistent)', store, 'msg/s', () => consumeRate(store, 'auto', n));
  await measure('fan-out, 10 topic subscribers (deliveries)', store, 'msg/s', () => fanOut(store, quick ? 5_000 : 10_000));
  const idle: Array<{ perConnectionKb: number; totalMb: number }> = [];
  await measure('1,000 idle connections: RSS per connection', store, 'KB', async () => {
    const r = await idleConnections(store, 1000);
    idle.push(r);
    return r.perConnectionKb;
  });
  const total = summarize(idle.map((r) => r.totalMb));
  process.stdout.write(`${'1,000 idle connections: master RSS'.padEnd(58)} ${store.padEnd(9)} median ${total.median.toFixed(1).padStart(9)} MB  (min ${total.min.toFixed(1)}, max ${total.max.toFixed(1)}, n=${total.n})\n`);
}
