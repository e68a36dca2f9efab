import type { BrokerMessage } from '../destination/message.js';
import type { Subscription } from '../destination/subscription.js';
import type { Transaction } from '../stomp/session.js';
import type { DataStructure } from './codec/marshal.js';
import type { OpenWireConnection } from './connection.js';

export interface ConsumerState {
  info: DataStructure;
  sessionKey: string;
  /** Null for the temp-destination advisory consumer: accepted, it gets nothing from here. */
  subscription: Subscription | null;
  /** The BrokerSequenceId each message was dispatched with (RemoveInfo.lastDeliveredSequenceId compares to it). */
  dispatched: WeakMap<BrokerMessage, number>;
}

/** RemoveInfo.lastDeliveredSequenceId when the client cannot tell (ActiveMQ's LAST_DELIVERED_UNKNOWN). */
export const LAST_DELIVERED_UNKNOWN = -2;

/** What one OpenWire connection holds: its ids, consumers, producers and local transactions. */
export class OpenWireState {
  /** The client's ConnectionId value, once its ConnectionInfo arrived. */
  connectionId: string | null = null;
  clientId = '';
  failoverReconnect = false;
  /** By ConsumerId text. */
  readonly consumers = new Map<string, ConsumerState>();
  private readonly bySubscription = new Map<Subscription, ConsumerState>();
  /** ProducerId text → its session and window (ProducerInfo.windowSize > 0: asynchronous sends get ProducerAcks). */
  readonly producers = new Map<string, { session: string; windowSize: number }>();
  /** LocalTransactionId text → the sends and acks waiting for COMMIT. */
  readonly transactions = new Map<string, Transaction>();

  constructor(private readonly connection: OpenWireConnection) {}

  addConsumer(key: string, consumer: ConsumerState): void {
    this.consumers.set(key, consumer);
    if (consumer.subscription !== null) this.bySubscription.set(consumer.subscription, consumer);
  }

  consumerOf(subscription: Subscription): ConsumerState | undefined {
    return this.bySubscription.get(subscription);
  }

  /**
   * The consumer leaves: what it had not acknowledged goes back to its destination. Only messages
   * the client delivered to the application (BrokerSequenceId ≤ lastDelivered) count as redelivered;
   * ones that were merely prefetched go back as they were (ActiveMQ's Queue.removeSubscription).
   */
  removeConsumer(key: string, lastDelivered = LAST_DELIVERED_UNKNOWN): void {
    const consumer = this.consumers.get(key);
    if (consumer === undefined) return;
    this.consumers.delete(key);
    const sub = consumer.subscription;
    if (sub === null) return;
    // Queues and durable subscriptions count every returned message once more; undo it for the prefetched ones.
    if (lastDelivered !== LAST_DELIVERED_UNKNOWN && (sub.durable !== null || sub.destinationName.kind === 'queue')) {
      for (const entry of sub.inflight.values()) {
        const seq = consumer.dispatched.get(entry.message);
        if (seq !== undefined && seq > lastDelivered) entry.message.redeliveryCounter--;
      }
    }
    this.bySubscription.delete(sub);
    if (sub.durable !== null && sub.durable.inUse === sub) sub.durable.inUse = null;
    this.connection.core.destinations.get(sub.destinationName).removeConsumer(sub);
  }

  removeSession(sessionKey: string, lastDelivered = LAST_DELIVERED_UNKNOWN): void {
    for (const [key, consumer] of [...this.consumers]) if (consumer.sessionKey === sessionKey) this.removeConsumer(key, lastDelivered);
    for (const [key, producer] of [...this.producers]) if (producer.session === sessionKey) this.producers.delete(key);
  }

  /** Acks inside a rolled-back transaction are undone: the client acknowledges those messages again. */
  abortTransaction(tx: Transaction): void {
    for (const ack of tx.acks) ack.subscription.markTxAcked(ack.entries, false);
  }

  wakeUpAll(): void {
    for (const sub of this.bySubscription.keys()) sub.dispatcher.wakeUp(sub);
  }

  release(): void {
    for (const tx of this.transactions.values()) this.abortTransaction(tx);
    this.transactions.clear();
    for (const key of [...this.consumers.keys()]) this.removeConsumer(key);
    this.producers.clear();
    if (this.connectionId !== null) this.connection.core.destinations.deleteTemporary(this.connectionId);
  }
}
