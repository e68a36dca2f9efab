import { FailoverClient } from '../../broker/client/index.js';
import type { Delivery } from '../../broker/client/index.js';
import type { HistoryEntry, ReceiverGroup } from './history.js';
import type { Scenario } from './scenario-format.js';

type Workload = Scenario['workload'];

/** Consumers of the workload: each a failover client recording every delivery. */
export class Consumers {
  readonly clients: FailoverClient[] = [];
  readonly groups: ReceiverGroup[] = [];
  delivered = 0;

  /** `prefix` keeps process, group and subscription names apart when several workloads run at once. */
  constructor(
    private readonly uri: string,
    private readonly workload: Workload,
    private readonly record: (entry: HistoryEntry) => void,
    private readonly prefix = '',
  ) {}

  /**
   * Durable subscribers subscribe once and go offline (DISCONNECT keeps the subscription), so the
   * broker stores what is published meanwhile: how a backlog reaches a durable subscriber.
   */
  async registerDurables(): Promise<void> {
    const w = this.workload;
    if (!w.durable) return;
    for (let i = 1; i <= w.consumers; i++) {
      const process = `${this.prefix}consumer${i}`;
      const client = this.client(process);
      await client.start();
      await client.subscribe(w.destination, this.handler(process, process), { ack: w.ack, durableName: `sub-${process}` });
      this.addGroup(process, 0);
      await client.close();
    }
  }

  async start(): Promise<void> {
    const w = this.workload;
    const topic = w.destination.startsWith('/topic/');
    for (let i = 1; i <= w.consumers; i++) {
      const process = `${this.prefix}consumer${i}`;
      const durable = topic && w.durable;
      const client = this.client(process);
      this.clients.push(client);
      await client.start();
      // A queue's consumers share its messages; each topic subscriber must get every one.
      const group = topic ? process : w.destination;
      await client.subscribe(w.destination, this.handler(process, group), { ack: w.ack, ...(durable ? { durableName: `sub-${process}` } : {}) });
      this.addGroup(group, topic && !durable ? Date.now() : 0);
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.close()));
  }

  private client(process: string): FailoverClient {
    const client = new FailoverClient(this.uri, this.workload.durable ? { clientId: `failover-lab-${process}` } : {});
    client.on((event) => this.record({ type: 'client', process, event }));
    return client;
  }

  private addGroup(group: string, expectsFromTs: number): void {
    if (this.groups.some((g) => g.group === group)) return;
    this.groups.push({ group, destination: this.workload.destination, expectsFromTs, ordered: this.workload.consumers === 1 });
  }

  private handler(process: string, group: string): (d: Delivery) => void {
    const w = this.workload;
    return (d: Delivery) => {
      this.delivered++;
      this.record({
        type: 'deliver',
        process,
        group,
        producer: d.headers.get('producer-id') ?? '?',
        seq: Number(d.headers.get('producer-seq') ?? -1),
        destination: w.destination,
        ts: Date.now(),
        redelivered: d.redelivered,
        messageId: d.messageId,
      });
      d.ack();
    };
  }
}

/** Producers: each sends its share at the scenario's rate with at most `inFlight` unreceipted. */
export class Producers {
  readonly clients: FailoverClient[] = [];
  invoked = 0;
  receipted = 0;
  private stopped = false;

  constructor(
    private readonly uri: string,
    private readonly workload: Workload,
    private readonly record: (entry: HistoryEntry) => void,
    private readonly onInvoke: (total: number) => void,
    private readonly prefix = '',
  ) {}

  async start(): Promise<void> {
    for (let i = 1; i <= this.workload.producers; i++) {
      const process = `${this.prefix}producer${i}`;
      const client = new FailoverClient(this.uri, { producerId: `${process}-${Date.now().toString(36)}` });
      client.on((event) => this.record({ type: 'client', process, event }));
      this.clients.push(client);
      await client.start();
    }
  }

  /** Runs until every message was sent and settled, or `stop()`. */
  async run(): Promise<void> {
    const w = this.workload;
    const share = Math.ceil(w.count / w.producers);
    await Promise.all(
      this.clients.map((client, i) => {
        const count = Math.min(share, w.count - i * share);
        const process = `${this.prefix}producer${i + 1}`;
        return w.transactions ? this.runTransactions(client, process, count, w.transactions) : this.runOne(client, process, count);
      }),
    );
  }

  stop(): void {
    this.stopped = true;
  }

  async close(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.clients.map((c) => c.close()));
  }

  private async runOne(client: FailoverClient, process: string, count: number): Promise<void> {
    const w = this.workload;
    const body = Buffer.alloc(w.messageSize, 'x');
    const intervalMs = w.ratePerSec > 0 ? 1000 / w.ratePerSec : 0;
    const started = performance.now();
    const inFlight = new Set<Promise<void>>();
    for (let n = 0; n < count && !this.stopped; n++) {
      await pace(started, n, intervalMs);
      const invokeTs = Date.now();
      const p = client.send(w.destination, body, { persistent: w.persistent }).then(
        (receipt) => {
          this.receipted++;
          this.record({ type: 'send', process, producer: client.producerId, seq: receipt.producerSeq, destination: w.destination, invokeTs, completeTs: receipt.receiptedAt ?? Date.now(), outcome: 'ok' });
        },
        (error: Error & { code?: string }) => {
          // Only an ERROR frame says for sure the broker refused it; anything else may have been stored.
          const outcome = error.code === 'BROKER' ? 'fail' : 'info';
          this.record({ type: 'send', process, producer: client.producerId, seq: seqOf(n), destination: w.destination, invokeTs, completeTs: null, outcome, error: error.message });
        },
      );
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
      this.onInvoke(++this.invoked);
      if (inFlight.size >= w.inFlight) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  }

  /**
   * BEGIN, `size` SENDs, COMMIT (or ABORT every `abortEvery`-th time), one transaction at a time: the
   * broker's producer audit is a high-water mark, so transactions of one producer must commit in order.
   * Committed sends count as receipted at COMMIT's RECEIPT; aborted ones as never sent.
   */
  private async runTransactions(client: FailoverClient, process: string, count: number, tx: { size: number; abortEvery: number }): Promise<void> {
    const w = this.workload;
    const body = Buffer.alloc(w.messageSize, 'x');
    const intervalMs = w.ratePerSec > 0 ? 1000 / w.ratePerSec : 0;
    const started = performance.now();
    let n = 0;
    for (let index = 1; n < count && !this.stopped; index++) {
      const transaction = client.begin();
      const sent: Array<{ seq: number; invokeTs: number }> = [];
      for (let k = 0; k < tx.size && n < count && !this.stopped; k++, n++) {
        await pace(started, n, intervalMs);
        sent.push({ invokeTs: Date.now(), seq: transaction.send(w.destination, body, { persistent: w.persistent }) });
        this.onInvoke(++this.invoked);
      }
      const base = { type: 'send', process, producer: client.producerId, destination: w.destination, transaction: transaction.id } as const;
      if (tx.abortEvery > 0 && index % tx.abortEvery === 0) {
        // Whatever ABORT's answer, no COMMIT was ever written: nothing of it can be stored.
        await transaction.abort().catch(() => undefined);
        for (const s of sent) this.record({ ...base, seq: s.seq, invokeTs: s.invokeTs, completeTs: Date.now(), outcome: 'aborted' });
        continue;
      }
      try {
        const receipt = await transaction.commit();
        this.receipted += sent.length;
        for (const s of sent) this.record({ ...base, seq: s.seq, invokeTs: s.invokeTs, completeTs: receipt.receiptedAt, outcome: 'ok' });
      } catch (error) {
        const outcome = (error as { code?: string }).code === 'BROKER' ? 'fail' : 'info';
        for (const s of sent) this.record({ ...base, seq: s.seq, invokeTs: s.invokeTs, completeTs: null, outcome, error: (error as Error).message });
      }
    }
  }
}

/** Waits until message `n` is due at the producer's rate. */
async function pace(startedMs: number, n: number, intervalMs: number): Promise<void> {
  if (intervalMs <= 0) return;
  const wait = startedMs + n * intervalMs - performance.now();
  if (wait > 1) await new Promise((r) => setTimeout(r, wait));
}

/** The client numbers its sends from 1 in call order; one producer loop per client. */
function seqOf(n: number): number {
  return n + 1;
}
