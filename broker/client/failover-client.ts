import { randomUUID } from 'node:crypto';
import type { StompFrame } from '../stomp/frame.js';
import type { Clock } from '../util/clock.js';
import { createSystemClock, sleep } from '../util/clock.js';
import { ClientError } from './client-errors.js';
import type { ClientEvent, ClientEventListener } from './client-events.js';
import { parseFailoverUri } from './failover-uri.js';
import type { BrokerUri, FailoverUri } from './failover-uri.js';
import { ReconnectPolicy } from './reconnect-policy.js';
import { StompConnection } from './stomp-connection.js';
import type { Headers } from './stomp-connection.js';
import { PendingSends } from './pending-sends.js';
import type { SendOptions, SendReceipt } from './pending-sends.js';
import { Subscriptions } from './subscriptions.js';
import type { Delivery, SubscribeOptions } from './subscriptions.js';
import { Transactions } from './transactions.js';
import type { ClientTransaction, CommitReceipt, TransactionHost } from './transactions.js';

export type { Delivery, SubscribeOptions, SendOptions, SendReceipt, ClientTransaction, CommitReceipt };

export interface FailoverClientOptions {
  /** CONNECT `client-id`: needed for durable subscriptions. */
  clientId?: string;
  /** The `producer-id` header of every send; default a random UUID. */
  producerId?: string;
  clock?: Clock;
  random?: () => number;
}

/**
 * A STOMP client over ActiveMQ's failover URI: it connects to whichever broker accepts (the master),
 * and when that connection breaks it reconnects with backoff, resubscribes (durable subscriptions too,
 * under the same `client-id`) and resends every send not yet receipted with the same `producer-id` +
 * `producer-seq`, so the broker's producer audit drops what it already stored.
 */
export class FailoverClient {
  readonly uri: FailoverUri;
  readonly producerId: string;
  private readonly clock: Clock;
  private readonly policy: ReconnectPolicy;
  private readonly listeners = new Set<ClientEventListener>();
  private readonly sends: PendingSends;
  private readonly subs = new Subscriptions();
  private readonly txs: Transactions;
  private readonly txHost: TransactionHost;
  private connection: StompConnection | null = null;
  private generation = 0;
  private everConnected = false;
  private interruptedAt: number | null = null;
  private closed = false;
  private loop: Promise<void> | null = null;
  private probe: NodeJS.Timeout | null = null;
  private readonly abort = new AbortController();
  private firstConnect: { resolve(): void; reject(e: Error): void } | null = null;

  constructor(uri: string | FailoverUri, private readonly options: FailoverClientOptions = {}) {
    this.uri = typeof uri === 'string' ? parseFailoverUri(uri) : uri;
    this.producerId = options.producerId ?? `ID:${randomUUID()}`;
    this.clock = options.clock ?? createSystemClock();
    this.policy = new ReconnectPolicy(this.uri.brokers, this.uri.options, options.random);
    this.sends = new PendingSends(this.producerId, this.uri.options, this.clock);
    this.txs = new Transactions(randomUUID().slice(0, 8), this.uri.options, this.clock);
    this.txHost = {
      nextSeq: () => this.sends.nextSeq(),
      sendHeaders: (destination, sendOptions, seq) => this.sends.sendHeaders(destination, sendOptions, seq),
      write: (command, headers, body) => this.connection?.write(command, headers, body),
      connected: () => this.connection !== null,
    };
  }

  /** The broker URI of the current connection, null while disconnected. */
  get connectedUri(): string | null {
    return this.connection?.broker.uri ?? null;
  }

  on(listener: ClientEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once connected; rejects when `startupMaxReconnectAttempts` passes failed. Idempotent. */
  start(): Promise<void> {
    if (this.closed) return Promise.reject(new ClientError('CLOSED', 'the client is closed'));
    if (this.connection) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.firstConnect = { resolve, reject };
      this.reconnect(null);
    });
  }

  /**
   * Sends and resolves when the broker RECEIPTed it (after its store commit for persistent messages).
   * Rejects with `TIMEOUT` when `timeout` ran out while disconnected: the send is then indeterminate.
   */
  send(destination: string, body: string | Buffer, options: SendOptions = {}): Promise<SendReceipt> {
    if (this.closed) return Promise.reject(new ClientError('CLOSED', 'the client is closed'));
    const { promise, pending } = this.sends.add(destination, typeof body === 'string' ? Buffer.from(body) : body, options, this.connection === null);
    if (this.connection) this.connection.write('SEND', pending.headers, pending.body);
    return promise;
  }

  /**
   * BEGIN: a transaction whose SENDs are stored together at COMMIT (resolves on COMMIT's RECEIPT) or
   * never (ABORT). It is replayed whole on a new connection after a failover. Run one transaction at
   * a time per client: the broker's producer audit keeps the highest `producer-seq`, so a COMMIT
   * after a later-numbered send would be taken for a duplicate.
   */
  begin(): ClientTransaction {
    if (this.closed) throw new ClientError('CLOSED', 'the client is closed');
    return this.txs.begin(this.txHost);
  }

  /** Subscribes; resolves with the subscription id once the broker receipted it. */
  async subscribe(destination: string, handler: (delivery: Delivery) => void, options: SubscribeOptions = {}): Promise<string> {
    if (options.durableName !== undefined && this.options.clientId === undefined) {
      throw new ClientError('BROKER', 'a durable subscription needs a clientId');
    }
    const sub = this.subs.add(destination, handler, options);
    if (this.connection) this.connection.write('SUBSCRIBE', sub.frameHeaders(true));
    await sub.receipted;
    return sub.id;
  }

  /** UNSUBSCRIBE; with `removeDurable` also removes the durable subscription (ActiveMQ's unsubscribe). */
  unsubscribe(id: string, options: { removeDurable?: boolean } = {}): void {
    const sub = this.subs.remove(id);
    if (!sub || !this.connection) return;
    const headers: Array<[string, string]> = [['id', id]];
    this.connection.write('UNSUBSCRIBE', headers);
    if (options.removeDurable && sub.options.durableName !== undefined) {
      this.connection.write('UNSUBSCRIBE', [['activemq.subscriptionName', sub.options.durableName]]);
    }
  }

  /** Sends not yet receipted. */
  get unreceipted(): number {
    return this.sends.size;
  }

  /** Closes the connection (DISCONNECT) and stops reconnecting; pending sends fail with `CLOSED`. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.abort.abort(new ClientError('CLOSED', 'the client is closed'));
    if (this.probe) clearInterval(this.probe);
    const connection = this.connection;
    this.connection = null;
    connection?.disconnect();
    this.sends.failAll(new ClientError('CLOSED', 'the client was closed before a RECEIPT'));
    this.txs.failAll(new ClientError('CLOSED', 'the client was closed before the COMMIT was receipted'));
    this.firstConnect?.reject(new ClientError('CLOSED', 'the client was closed before it connected'));
    await this.loop?.catch(() => undefined);
  }

  private emit(event: ClientEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private reconnect(lastFailed: string | null): void {
    if (this.closed || this.loop) return;
    this.loop = this.connectLoop(lastFailed).finally(() => (this.loop = null));
  }

  private async connectLoop(lastFailed: string | null): Promise<void> {
    let failedPasses = 0;
    for (;;) {
      for (const broker of this.policy.connectOrder(lastFailed)) {
        if (this.closed) return;
        const connection = await this.tryOpen(broker);
        if (connection) {
          this.attach(connection);
          return;
        }
      }
      failedPasses++;
      if (this.policy.exhausted(failedPasses, this.everConnected)) {
        this.exhaust(failedPasses);
        return;
      }
      try {
        await sleep(this.policy.delayMs(failedPasses), this.abort.signal);
      } catch {
        return;
      }
    }
  }

  private async tryOpen(broker: BrokerUri): Promise<StompConnection | null> {
    try {
      return await StompConnection.open(broker, { clientId: this.options.clientId ?? null });
    } catch (error) {
      this.emit({ type: 'connect-failed', ts: this.clock.now(), uri: broker.uri, reason: (error as Error).message });
      return null;
    }
  }

  private exhaust(attempts: number): void {
    const reason = `gave up after ${attempts} failed pass${attempts === 1 ? '' : 'es'} over ${this.uri.brokers.map((b) => b.uri).join(', ')}`;
    this.emit({ type: 'exhausted', ts: this.clock.now(), attempts, reason });
    const error = new ClientError('EXHAUSTED', reason);
    this.sends.failAll(error);
    this.txs.failAll(error);
    this.firstConnect?.reject(error);
    this.firstConnect = null;
  }

  /** Makes `connection` current: resubscribe, resend, then report. */
  private attach(connection: StompConnection): void {
    if (this.closed) {
      connection.disconnect();
      return;
    }
    const generation = ++this.generation;
    this.connection = connection;
    connection.onFrame = (frame) => this.onFrame(frame, generation);
    connection.onClose = (reason) => this.onConnectionLost(connection, reason);
    for (const sub of this.subs.all()) connection.write('SUBSCRIBE', sub.frameHeaders(!sub.isReceipted));
    // Sends and transactions go out again in producer order: the broker's audit is a high-water mark.
    const write = connection.write.bind(connection);
    const replays = [
      ...this.sends.resume().map((p) => ({ seq: p.seq, replay: () => write('SEND', p.headers, p.body) })),
      ...this.txs.resume().map((tx) => ({ seq: tx.firstSeq, replay: () => tx.replay(write) })),
    ].sort((a, b) => a.seq - b.seq);
    for (const r of replays) r.replay();
    const ts = this.clock.now();
    const uri = connection.broker.uri;
    if (this.interruptedAt !== null) this.emit({ type: 'resumed', ts, uri, downMs: ts - this.interruptedAt });
    this.emit({ type: 'connected', ts, uri });
    this.interruptedAt = null;
    this.everConnected = true;
    this.firstConnect?.resolve();
    this.firstConnect = null;
    this.watchPriority(connection);
  }

  private onConnectionLost(connection: StompConnection, reason: string): void {
    if (this.connection !== connection || this.closed) return;
    this.connection = null;
    this.interruptedAt = this.clock.now();
    this.sends.interrupt();
    this.txs.interrupt();
    this.emit({ type: 'interrupted', ts: this.interruptedAt, uri: connection.broker.uri, reason });
    // ActiveMQ's maxReconnectAttempts=0: never reconnect once connected.
    if (this.policy.exhausted(0, true)) {
      this.exhaust(0);
      return;
    }
    this.reconnect(connection.broker.uri);
  }

  private onFrame(frame: StompFrame, generation: number): void {
    const receiptId = frame.headers.get('receipt-id');
    switch (frame.command) {
      case 'RECEIPT':
        if (receiptId !== undefined && !this.sends.receipted(receiptId) && !this.txs.receipted(receiptId)) this.subs.receipted(receiptId);
        return;
      case 'MESSAGE':
        this.subs.deliver(frame, (headers: Headers, command: 'ACK' | 'NACK') => {
          // An ack for a message of an earlier connection means nothing to the new broker: it redelivers.
          if (generation === this.generation) this.connection?.write(command, headers);
        });
        return;
      case 'ERROR': {
        const message = frame.headers.get('message') ?? frame.body.toString('utf8');
        const error = new ClientError('BROKER', message);
        if (receiptId !== undefined && !this.sends.failed(receiptId, error) && !this.txs.failed(receiptId, error)) this.subs.failed(receiptId, error);
        return;
      }
    }
  }

  /**
   * `priorityBackup`: while on a backup, probe the priority brokers on separate connections and move
   * only once one answered CONNECTED; a dead priority broker never disturbs the working connection.
   */
  private watchPriority(current: StompConnection): void {
    if (this.probe) clearInterval(this.probe);
    this.probe = null;
    if (!this.uri.options.priorityBackup || this.policy.isPriority(current.broker.uri)) return;
    let probing = false;
    this.probe = setInterval(() => {
      if (probing || this.connection !== current) return;
      probing = true;
      void (async () => {
        for (const broker of this.uri.brokers.filter((b) => this.policy.isPriority(b.uri))) {
          const candidate = await StompConnection.open(broker, { clientId: this.options.clientId ?? null }).catch(() => null);
          if (!candidate) continue;
          if (this.connection !== current || this.closed) {
            candidate.disconnect();
            break;
          }
          this.connection = null;
          current.onClose = () => {};
          current.disconnect();
          this.sends.interrupt();
          this.txs.interrupt();
          this.attach(candidate);
          break;
        }
        probing = false;
      })();
    }, Math.max(1000, this.uri.options.initialReconnectDelay));
    this.probe.unref();
  }
}
