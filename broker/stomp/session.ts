import type { BrokerMessage } from '../destination/message.js';
import type { InflightEntry, Subscription } from '../destination/subscription.js';
import type { StompConnection } from './connection.js';

export interface TransactionAck {
  subscription: Subscription;
  entries: InflightEntry[];
}

/** A STOMP transaction (BEGIN ... COMMIT/ABORT): its SENDs and ACKs, applied in one store batch. */
export interface Transaction {
  sends: BrokerMessage[];
  acks: TransactionAck[];
}

/** The per-connection state the handlers share: subscriptions, transactions, 1.2 ack ids. */
export class Session {
  /** By SUBSCRIBE `id` (or a generated key for a STOMP 1.0 subscription without one). */
  readonly subscriptions = new Map<string, Subscription>();
  readonly transactions = new Map<string, Transaction>();
  /** MESSAGE `ack` header → its subscription and message (STOMP 1.2 ACK/NACK `id`). */
  readonly ackIds = new Map<string, { subscription: Subscription; messageId: string }>();
  private anonymous = 0;

  constructor(private readonly connection: StompConnection) {}

  keyFor(id: string | null): string {
    return id ?? `\u0000${++this.anonymous}`;
  }

  forgetAcks(entries: readonly InflightEntry[]): void {
    for (const entry of entries) if (entry.ackId !== '') this.ackIds.delete(entry.ackId);
  }

  /** ACKs inside an aborted transaction are undone: the client may acknowledge those messages again. */
  abortTransaction(tx: Transaction): void {
    for (const ack of tx.acks) ack.subscription.markTxAcked(ack.entries, false);
  }

  removeSubscription(key: string): void {
    const sub = this.subscriptions.get(key);
    if (sub === undefined) return;
    this.subscriptions.delete(key);
    this.forgetAcks([...sub.inflight.values()]);
    const destination = this.connection.core.destinations.get(sub.destinationName);
    destination.removeConsumer(sub);
  }

  wakeUpAll(): void {
    for (const sub of this.subscriptions.values()) sub.dispatcher.wakeUp(sub);
  }

  release(): void {
    for (const tx of this.transactions.values()) this.abortTransaction(tx);
    this.transactions.clear();
    for (const key of [...this.subscriptions.keys()]) this.removeSubscription(key);
    this.ackIds.clear();
    this.connection.core.destinations.deleteTemporary(this.connection.connectionId);
  }
}
