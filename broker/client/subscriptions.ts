import type { StompFrame } from '../stomp/frame.js';
import type { Headers } from './stomp-connection.js';

export interface SubscribeOptions {
  ack?: 'auto' | 'client' | 'client-individual';
  /** `activemq.subscriptionName`: a durable topic subscription (needs the client's `clientId`). */
  durableName?: string;
  selector?: string;
  /** `activemq.prefetchSize`. */
  prefetch?: number;
}

export interface Delivery {
  subscriptionId: string;
  destination: string;
  messageId: string;
  /** The broker's `redelivered:true` flag. */
  redelivered: boolean;
  headers: ReadonlyMap<string, string>;
  body: Buffer;
  /** ACK (client modes); a no-op for a message of an earlier connection, which the broker redelivers. */
  ack(): void;
  nack(): void;
}

type Writer = (headers: Headers, command: 'ACK' | 'NACK') => void;

export class Subscription {
  isReceipted = false;
  readonly receipted: Promise<void>;
  resolveReceipt!: () => void;
  rejectReceipt!: (e: Error) => void;

  constructor(
    readonly id: string,
    readonly destination: string,
    readonly handler: (delivery: Delivery) => void,
    readonly options: SubscribeOptions,
  ) {
    this.receipted = new Promise((resolve, reject) => {
      this.resolveReceipt = resolve;
      this.rejectReceipt = reject;
    });
    this.receipted.catch(() => undefined);
  }

  frameHeaders(withReceipt: boolean): Headers {
    const headers: Array<[string, string]> = [
      ['destination', this.destination],
      ['id', this.id],
      ['ack', this.options.ack ?? 'auto'],
    ];
    if (this.options.durableName !== undefined) headers.push(['activemq.subscriptionName', this.options.durableName]);
    if (this.options.selector !== undefined) headers.push(['selector', this.options.selector]);
    if (this.options.prefetch !== undefined) headers.push(['activemq.prefetchSize', String(this.options.prefetch)]);
    if (withReceipt) headers.push(['receipt', `sub-${this.id}`]);
    return headers;
  }
}

/** The client's subscriptions, replayed on every new connection. */
export class Subscriptions {
  private next = 0;
  private readonly byId = new Map<string, Subscription>();

  add(destination: string, handler: (delivery: Delivery) => void, options: SubscribeOptions): Subscription {
    const sub = new Subscription(`s${++this.next}`, destination, handler, options);
    this.byId.set(sub.id, sub);
    return sub;
  }

  remove(id: string): Subscription | undefined {
    const sub = this.byId.get(id);
    this.byId.delete(id);
    return sub;
  }

  all(): Subscription[] {
    return [...this.byId.values()];
  }

  receipted(receiptId: string): boolean {
    const sub = this.byReceipt(receiptId);
    if (!sub) return false;
    sub.isReceipted = true;
    sub.resolveReceipt();
    return true;
  }

  failed(receiptId: string, error: Error): boolean {
    const sub = this.byReceipt(receiptId);
    if (!sub) return false;
    this.byId.delete(sub.id);
    sub.rejectReceipt(error);
    return true;
  }

  deliver(frame: StompFrame, write: Writer): void {
    const sub = this.byId.get(frame.headers.get('subscription') ?? '');
    if (!sub) return;
    const ackId = frame.headers.get('ack');
    const mode = sub.options.ack ?? 'auto';
    const reply = (command: 'ACK' | 'NACK') => {
      if (mode !== 'auto' && ackId !== undefined) write([['id', ackId]], command);
    };
    sub.handler({
      subscriptionId: sub.id,
      destination: frame.headers.get('destination') ?? sub.destination,
      messageId: frame.headers.get('message-id') ?? '',
      redelivered: frame.headers.get('redelivered') === 'true',
      headers: frame.headers,
      body: frame.body,
      ack: () => reply('ACK'),
      nack: () => reply('NACK'),
    });
  }

  private byReceipt(receiptId: string): Subscription | undefined {
    return receiptId.startsWith('sub-') ? this.byId.get(receiptId.slice(4)) : undefined;
  }
}
