import type { Clock } from '../util/clock.js';
import { ClientError } from './client-errors.js';
import type { FailoverOptions } from './failover-uri.js';
import type { SendOptions } from './pending-sends.js';
import type { Headers } from './stomp-connection.js';

export interface CommitReceipt {
  transaction: string;
  /** The `producer-seq` of every SEND of the transaction, in order. */
  producerSeqs: number[];
  /** Epoch ms when COMMIT's RECEIPT arrived: every SEND of the transaction is stored from then on. */
  receiptedAt: number;
  /** True when the transaction was replayed on another connection after a failover. */
  resent: boolean;
}

export type TransactionState = 'open' | 'committing' | 'committed' | 'aborted' | 'failed';

/** Writes one frame on the current connection; a no-op while disconnected (the replay writes it later). */
export type FrameWriter = (command: string, headers: Headers, body?: Buffer) => void;

interface TxSend {
  seq: number;
  headers: Array<[string, string]>;
  body: Buffer;
}

/** What a transaction needs from its client: sequence numbers, SEND headers, the wire. */
export interface TransactionHost {
  nextSeq(): number;
  sendHeaders(destination: string, options: Pick<SendOptions, 'persistent' | 'headers'>, seq: number): Array<[string, string]>;
  write: FrameWriter;
  connected(): boolean;
}

/**
 * A STOMP transaction (BEGIN, SEND..., COMMIT or ABORT) that survives a failover: a broker forgets an
 * uncommitted transaction with the connection, so the client replays it whole on the next connection
 * (BEGIN, every SEND with its `producer-id` + `producer-seq`, and COMMIT if one was asked for). A
 * COMMIT in doubt is thereby safe to repeat: the producer audit drops SENDs the old master already
 * stored. Like ActiveMQ's failover transport with `trackTransactionProducers`.
 */
export class ClientTransaction {
  state: TransactionState = 'open';
  writes = 0;
  private readonly sends: TxSend[] = [];
  private settle: { resolve(r: CommitReceipt | void): void; reject(e: Error): void } | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly id: string,
    private readonly host: TransactionHost,
    private readonly registry: Transactions,
  ) {
    if (host.connected()) this.writes = 1;
    host.write('BEGIN', [['transaction', id]]);
  }

  /** The smallest `producer-seq` of its SENDs: replays keep producer order (the audit is a high-water mark). */
  get firstSeq(): number {
    return this.sends[0]?.seq ?? Infinity;
  }

  /** Adds a SEND; returns its `producer-seq`. Nothing is stored until COMMIT. */
  send(destination: string, body: string | Buffer, options: Pick<SendOptions, 'persistent' | 'headers'> = {}): number {
    if (this.state !== 'open') throw new ClientError('BROKER', `transaction ${this.id} is ${this.state}`);
    const seq = this.host.nextSeq();
    const headers = this.host.sendHeaders(destination, options, seq);
    headers.push(['transaction', this.id]);
    const send = { seq, headers, body: typeof body === 'string' ? Buffer.from(body) : body };
    this.sends.push(send);
    this.host.write('SEND', send.headers, send.body);
    return seq;
  }

  /** COMMIT; resolves on its RECEIPT, rejects with `TIMEOUT` (in doubt), `EXHAUSTED`, `CLOSED` or `BROKER`. */
  commit(): Promise<CommitReceipt> {
    if (this.state !== 'open') return Promise.reject(new ClientError('BROKER', `transaction ${this.id} is ${this.state}`));
    this.state = 'committing';
    const promise = new Promise<CommitReceipt>((resolve, reject) => (this.settle = { resolve: resolve as (r: CommitReceipt | void) => void, reject }));
    this.host.write('COMMIT', this.commitHeaders());
    if (!this.host.connected()) this.registry.arm(this);
    return promise;
  }

  /**
   * ABORT: nothing of the transaction is ever stored. Resolves on the RECEIPT, or at once when the
   * connection is (or goes) away, since a broker drops an uncommitted transaction with its connection.
   */
  abort(): Promise<void> {
    if (this.state !== 'open') return Promise.reject(new ClientError('BROKER', `transaction ${this.id} is ${this.state}`));
    this.state = 'aborted';
    if (!this.host.connected()) {
      this.registry.forget(this);
      return Promise.resolve();
    }
    const promise = new Promise<void>((resolve, reject) => (this.settle = { resolve: resolve as (r: CommitReceipt | void) => void, reject }));
    this.host.write('ABORT', [['transaction', this.id], ['receipt', `abort-${this.id}`]]);
    return promise;
  }

  /** Everything to write on a new connection, in order. */
  replay(write: FrameWriter): void {
    if (this.state !== 'open' && this.state !== 'committing') return;
    this.writes++;
    write('BEGIN', [['transaction', this.id]]);
    for (const send of this.sends) write('SEND', send.headers, send.body);
    if (this.state === 'committing') write('COMMIT', this.commitHeaders());
  }

  /** @internal The registry settles the transaction. */
  finish(state: 'committed' | 'aborted' | 'failed', now: number, error?: Error): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const settle = this.settle;
    this.settle = null;
    if (state === 'failed') {
      this.state = 'failed';
      settle?.reject(error ?? new ClientError('BROKER', `transaction ${this.id} failed`));
    } else if (state === 'committed') {
      this.state = 'committed';
      settle?.resolve({ transaction: this.id, producerSeqs: this.sends.map((s) => s.seq), receiptedAt: now, resent: this.writes > 1 });
    } else settle?.resolve();
  }

  /** @internal */
  armTimeout(ms: number, onTimeout: () => void): void {
    if (this.timer) return;
    this.timer = setTimeout(onTimeout, ms);
  }

  /** @internal */
  disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private commitHeaders(): Headers {
    return [['transaction', this.id], ['receipt', `commit-${this.id}`]];
  }
}

/** The client's live transactions: settled by RECEIPT/ERROR, replayed after a failover, timed out like sends. */
export class Transactions {
  private next = 0;
  private readonly byId = new Map<string, ClientTransaction>();

  constructor(
    private readonly prefix: string,
    private readonly options: FailoverOptions,
    private readonly clock: Clock,
  ) {}

  begin(host: TransactionHost): ClientTransaction {
    const tx = new ClientTransaction(`tx-${this.prefix}-${++this.next}`, host, this);
    this.byId.set(tx.id, tx);
    return tx;
  }

  get size(): number {
    return this.byId.size;
  }

  /** A RECEIPT for a COMMIT or ABORT; false when it is not ours. */
  receipted(receiptId: string): boolean {
    const tx = this.byReceipt(receiptId);
    if (!tx) return false;
    this.byId.delete(tx.id);
    tx.finish(receiptId.startsWith('commit-') ? 'committed' : 'aborted', this.clock.now());
    return true;
  }

  failed(receiptId: string, error: Error): boolean {
    const tx = this.byReceipt(receiptId);
    if (!tx) return false;
    this.byId.delete(tx.id);
    tx.finish('failed', this.clock.now(), error);
    return true;
  }

  /** The connection broke: aborts are done (the broker dropped the transaction), commits wait at most `timeout`. */
  interrupt(): void {
    for (const tx of [...this.byId.values()]) {
      if (tx.state === 'aborted') this.forget(tx);
      else if (tx.state === 'committing') this.arm(tx);
    }
  }

  /** Connected again: the transactions to replay, in producer order. */
  resume(): ClientTransaction[] {
    const all = [...this.byId.values()].filter((tx) => tx.state === 'open' || tx.state === 'committing');
    for (const tx of all) tx.disarm();
    return all.sort((a, b) => a.firstSeq - b.firstSeq);
  }

  failAll(error: Error): void {
    for (const tx of [...this.byId.values()]) {
      this.byId.delete(tx.id);
      if (tx.state === 'aborted') tx.finish('aborted', this.clock.now());
      else tx.finish('failed', this.clock.now(), error);
    }
  }

  /** @internal */
  forget(tx: ClientTransaction): void {
    this.byId.delete(tx.id);
    tx.finish('aborted', this.clock.now());
  }

  /** @internal A COMMIT sent while disconnected is in doubt after `timeout` ms. */
  arm(tx: ClientTransaction): void {
    const timeoutMs = this.options.timeout;
    if (timeoutMs < 0) return;
    tx.armTimeout(timeoutMs, () => {
      if (!this.byId.has(tx.id)) return;
      this.byId.delete(tx.id);
      tx.finish('failed', this.clock.now(), new ClientError('TIMEOUT', `COMMIT of ${tx.id} waited ${timeoutMs} ms for a connection (timeout): in doubt`));
    });
  }

  private byReceipt(receiptId: string): ClientTransaction | undefined {
    const match = /^(commit|abort)-(.*)$/.exec(receiptId);
    return match ? this.byId.get(match[2]!) : undefined;
  }
}
