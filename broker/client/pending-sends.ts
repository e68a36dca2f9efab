import type { Clock } from '../util/clock.js';
import { ClientError } from './client-errors.js';
import type { FailoverOptions } from './failover-uri.js';

export interface SendOptions {
  /** `persistent:true` (default true: a failover test is about persistent messages). */
  persistent?: boolean;
  /** Extra headers. */
  headers?: Record<string, string>;
  /** Ask for a RECEIPT (default true). Without, the send resolves at once and is replayed only with `trackMessages`. */
  receipt?: boolean;
}

export interface SendReceipt {
  producerSeq: number;
  /** Epoch ms when the RECEIPT arrived; null for a send without receipt. */
  receiptedAt: number | null;
  /** True when it was written on more than one connection (a resend after failover). */
  resent: boolean;
}

export interface PendingSend {
  seq: number;
  receiptId: string | null;
  headers: Array<[string, string]>;
  body: Buffer;
  writes: number;
  resolve(receipt: SendReceipt): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout | null;
}

/**
 * Sends between SEND and RECEIPT, in producer order, each with its `producer-id` + `producer-seq`:
 * what the client resends after a failover. `timeout` (ActiveMQ's option) bounds how long a send may
 * wait while disconnected; with `trackMessages`, sends without receipt are kept too, up to `maxCacheSize` bytes.
 */
export class PendingSends {
  private seq = 0;
  private readonly pending = new Map<string, PendingSend>();
  private tracked: PendingSend[] = [];
  private trackedBytes = 0;

  constructor(
    private readonly producerId: string,
    private readonly options: FailoverOptions,
    private readonly clock: Clock,
  ) {}

  get size(): number {
    return this.pending.size;
  }

  add(destination: string, body: Buffer, options: SendOptions, disconnected: boolean): { promise: Promise<SendReceipt>; pending: PendingSend } {
    const seq = this.nextSeq();
    const wantsReceipt = options.receipt ?? true;
    const headers = this.sendHeaders(destination, options, seq);
    const receiptId = wantsReceipt ? `send-${seq}` : null;
    if (receiptId) headers.push(['receipt', receiptId]);
    let resolve!: (r: SendReceipt) => void;
    let reject!: (e: Error) => void;
    const promise = new Promise<SendReceipt>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const pending: PendingSend = { seq, receiptId, headers, body, writes: disconnected ? 0 : 1, resolve, reject, timer: null };
    if (receiptId) {
      this.pending.set(receiptId, pending);
      if (disconnected) this.arm(pending);
    } else {
      if (this.options.trackMessages) this.track(pending);
      resolve({ producerSeq: seq, receiptedAt: null, resent: false });
    }
    return { promise, pending };
  }

  /** The next `producer-seq`: sends and transactional sends share one sequence per producer. */
  nextSeq(): number {
    return ++this.seq;
  }

  /** SEND headers stamped with this producer's id and `seq` (no receipt). */
  sendHeaders(destination: string, options: Pick<SendOptions, 'persistent' | 'headers'>, seq: number): Array<[string, string]> {
    const headers: Array<[string, string]> = [['destination', destination]];
    if (options.persistent ?? true) headers.push(['persistent', 'true']);
    headers.push(['producer-id', this.producerId], ['producer-seq', String(seq)]);
    for (const [name, value] of Object.entries(options.headers ?? {})) headers.push([name, value]);
    return headers;
  }

  receipted(receiptId: string): boolean {
    const pending = this.pending.get(receiptId);
    if (!pending) return false;
    this.settle(pending);
    pending.resolve({ producerSeq: pending.seq, receiptedAt: this.clock.now(), resent: pending.writes > 1 });
    // A receipt confirms everything the broker read before it, fire-and-forget sends included.
    this.tracked = this.tracked.filter((t) => t.seq > pending.seq);
    this.trackedBytes = this.tracked.reduce((n, t) => n + t.body.length, 0);
    return true;
  }

  failed(receiptId: string, error: Error): boolean {
    const pending = this.pending.get(receiptId);
    if (!pending) return false;
    this.settle(pending);
    pending.reject(error);
    return true;
  }

  /** The connection broke: sends now wait for the next one, each for at most `timeout` ms. */
  interrupt(): void {
    for (const pending of this.pending.values()) this.arm(pending);
  }

  /** Connected again: what to write, in producer order. */
  resume(): PendingSend[] {
    const all = [...this.pending.values(), ...this.tracked].sort((a, b) => a.seq - b.seq);
    for (const pending of all) {
      if (pending.timer) clearTimeout(pending.timer);
      pending.timer = null;
      pending.writes++;
    }
    return all;
  }

  failAll(error: Error): void {
    for (const pending of [...this.pending.values()]) {
      this.settle(pending);
      pending.reject(error);
    }
    this.tracked = [];
    this.trackedBytes = 0;
  }

  private arm(pending: PendingSend): void {
    const timeoutMs = this.options.timeout;
    if (timeoutMs < 0 || pending.timer) return;
    pending.timer = setTimeout(() => {
      if (!pending.receiptId || !this.pending.has(pending.receiptId)) return;
      this.settle(pending);
      pending.reject(new ClientError('TIMEOUT', `send ${pending.seq} waited ${timeoutMs} ms for a connection (timeout)`));
    }, timeoutMs);
  }

  private settle(pending: PendingSend): void {
    if (pending.timer) clearTimeout(pending.timer);
    pending.timer = null;
    if (pending.receiptId) this.pending.delete(pending.receiptId);
  }

  private track(pending: PendingSend): void {
    this.tracked.push(pending);
    this.trackedBytes += pending.body.length;
    while (this.trackedBytes > this.options.maxCacheSize && this.tracked.length > 0) {
      this.trackedBytes -= this.tracked.shift()!.body.length;
    }
  }
}
