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

  constructor(
    private readonly uri: string,
    private readonly workload: Workload,
    private readonly record: (entry: HistoryEntry) => void,
  ) {}

  async start(): Promise<void> {
    const w = this.workload;
    const topic = w.destination.startsWith('/topic/');
    for (let i = 1; i <= w.consumers; i++) {
      const process = `consumer${i}`;
      const durable = topic && w.durable;
      const client = new FailoverClient(this.uri, durable ? { clientId: `failover-lab-${process}` } : {});
      client.on((event) => this.record({ type: 'client', process, event }));
      this.clients.push(client);
      await client.start();
      // A queue's consumers share its messages; each topic subscriber must get every one.
      const group = topic ? process : w.destination;
      const handler = (d: Delivery) => {
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
        });
        d.ack();
      };
      await client.subscribe(w.destination, handler, { ack: w.ack, ...(durable ? { durableName: `sub-${process}` } : {}) });
      if (!this.groups.some((g) => g.group === group)) {
        this.groups.push({ group, destination: w.destination, expectsFromTs: topic && !durable ? Date.now() : 0, ordered: w.consumers === 1 });
      }
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.close()));
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
  ) {}

  async start(): Promise<void> {
    for (let i = 1; i <= this.workload.producers; i++) {
      const process = `producer${i}`;
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
    await Promise.all(this.clients.map((client, i) => this.runOne(client, `producer${i + 1}`, Math.min(share, w.count - i * share))));
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
      if (intervalMs > 0) {
        const wait = started + n * intervalMs - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      }
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
}

/** The client numbers its sends from 1 in call order; one producer loop per client. */
function seqOf(n: number): number {
  return n + 1;
}
