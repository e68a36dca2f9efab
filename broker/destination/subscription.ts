import type { DurableAck } from '../store/persistence-adapter.js';
import type { DestinationName } from './destination-name.js';
import type { DurableTopicSubscription } from './durable-subscription.js';
import type { BrokerMessage } from './message.js';
import { messageProperties } from './selector/message-properties.js';
import type { Selector } from './selector/selector.js';

export type AckMode = 'auto' | 'client' | 'client-individual';

export interface InflightEntry {
  message: BrokerMessage;
  /** The MESSAGE `ack` header (STOMP 1.2), unique on its connection. */
  ackId: string;
  /** Acknowledged inside a transaction that has not committed yet: no longer counts against prefetch. */
  txAcked: boolean;
}

/** What a subscription needs from its connection. */
export interface SubscriptionSink {
  /** False while the socket's buffer is full: dispatch waits for 'drain' (slow consumer). */
  writable(): boolean;
  nextAckId(): string;
  /** Writes the MESSAGE frame. */
  deliver(subscription: Subscription, entry: InflightEntry, redelivered: boolean): void;
}

/** What acknowledgements change in the store: queue rows deleted, durable positions advanced. */
export interface StoreWork {
  remove: number[];
  durableAcks: DurableAck[];
}

export function emptyStoreWork(): StoreWork {
  return { remove: [], durableAcks: [] };
}

/** The destination side of a subscription: told when the subscription can take more. */
export interface Dispatcher {
  wakeUp(subscription: Subscription): void;
  /** An auto-acknowledged message left the broker: its store work is batched by the destination. */
  consumed(subscription: Subscription, message: BrokerMessage): void;
  /** Adds the store work of acknowledging `entries` (client acks, NACKs, commits) to `work`. */
  acknowledged(subscription: Subscription, entries: readonly InflightEntry[], work: StoreWork): void;
}

export interface SubscriptionOptions {
  durable?: DurableTopicSubscription | null;
  selector?: Selector | null;
  /** `activemq.noLocal`: skip messages whose message-id starts with this (the subscriber's connection). */
  noLocalPrefix?: string | null;
  /** `activemq.exclusive` on a queue: this consumer gets everything while it is the first exclusive one. */
  exclusive?: boolean;
  /**
   * Non-durable topic subscriptions: messages kept waiting beyond the prefetch; past it the oldest
   * are dropped (ActiveMQ's constantPendingMessageLimitStrategy). -1: no limit.
   */
  pendingMessageLimit?: number;
}

/**
 * One STOMP SUBSCRIBE (ActiveMQ's StompSubscription + its broker-side consumer): the messages
 * dispatched and not yet acknowledged, in dispatch order, bounded by the prefetch.
 */
export class Subscription {
  /** Keyed by message-id, in dispatch order (the order `client` acks are cumulative in). */
  readonly inflight = new Map<string, InflightEntry>();
  /** Topic messages waiting for prefetch room (queues keep theirs in the queue); a durable's pending. */
  readonly backlog: BrokerMessage[];
  private txAckedCount = 0;
  closed = false;

  constructor(
    /** The SUBSCRIBE `id`; null for a STOMP 1.0 subscription without one (its MESSAGEs carry none). */
    readonly id: string | null,
    readonly destinationName: DestinationName,
    readonly ackMode: AckMode,
    /** Changed by OpenWire's ConsumerControl (a failover client restores its prefetch). */
    public prefetch: number,
    private readonly sink: SubscriptionSink,
    public dispatcher: Dispatcher,
    options: SubscriptionOptions = {},
  ) {
    this.durable = options.durable ?? null;
    this.selector = options.selector ?? null;
    this.noLocalPrefix = options.noLocalPrefix ?? null;
    this.exclusive = options.exclusive ?? false;
    // A durable subscription keeps everything it owes (ActiveMQ applies the strategy to non-durables only).
    this.pendingMessageLimit = this.durable === null ? (options.pendingMessageLimit ?? -1) : -1;
    this.backlog = this.durable?.pending ?? [];
  }

  /** Set for `activemq.subscriptionName` subscriptions: the state that outlives this consumer. */
  readonly durable: DurableTopicSubscription | null;
  /** The SUBSCRIBE `selector`, compiled; null takes every message. */
  readonly selector: Selector | null;

  readonly noLocalPrefix: string | null;
  readonly exclusive: boolean;
  readonly pendingMessageLimit: number;
  /** Messages dropped by the pending-message limit (a slow consumer). */
  discarded = 0;

  /** Whether this subscription wants the message at all (its selector, noLocal). */
  accepts(message: BrokerMessage): boolean {
    if (this.noLocalPrefix !== null && message.messageId.startsWith(this.noLocalPrefix)) return false;
    return this.selector === null || this.selector.matches(messageProperties(message));
  }

  hasCapacity(): boolean {
    if (this.closed || !this.sink.writable()) return false;
    return this.ackMode === 'auto' || this.inflight.size - this.txAckedCount < this.prefetch;
  }

  /** A topic message for this subscriber: sent now if it has room, else kept in its backlog. */
  offer(message: BrokerMessage): void {
    if (this.backlog.length === 0 && this.hasCapacity()) {
      this.dispatch(message);
      return;
    }
    this.backlog.push(message);
    if (this.pendingMessageLimit >= 0 && this.backlog.length > this.pendingMessageLimit) {
      this.backlog.shift();
      this.discarded++;
    }
  }

  dispatch(message: BrokerMessage): void {
    const redelivered = message.redeliveryCounter > 0;
    const entry: InflightEntry = { message, ackId: this.ackMode === 'auto' ? '' : this.sink.nextAckId(), txAcked: false };
    if (this.ackMode === 'auto') {
      // ActiveMQ acknowledges auto-ack messages as it dispatches them (StompSubscription.onMessageDispatch).
      this.dispatcher.consumed(this, message);
    } else {
      this.inflight.set(message.messageId, entry);
    }
    this.sink.deliver(this, entry, redelivered);
  }

  /** `client` ack: everything dispatched up to and including `messageId`; null when unknown. */
  takeCumulative(messageId: string): InflightEntry[] | null {
    if (!this.inflight.has(messageId)) return null;
    const taken: InflightEntry[] = [];
    for (const [id, entry] of this.inflight) {
      taken.push(entry);
      if (id === messageId) break;
    }
    return taken;
  }

  /** `client-individual` ack, and NACK in every mode: just that message. */
  takeOne(messageId: string): InflightEntry[] | null {
    const entry = this.inflight.get(messageId);
    return entry === undefined ? null : [entry];
  }

  markTxAcked(entries: readonly InflightEntry[], acked: boolean): void {
    for (const entry of entries) {
      if (entry.txAcked === acked) continue;
      entry.txAcked = acked;
      this.txAckedCount += acked ? 1 : -1;
    }
    if (acked) this.dispatcher.wakeUp(this);
  }

  /** Forgets acknowledged entries and makes room for more. */
  settle(entries: readonly InflightEntry[]): void {
    for (const entry of entries) {
      if (this.inflight.delete(entry.message.messageId) && entry.txAcked) this.txAckedCount--;
    }
    this.dispatcher.wakeUp(this);
  }

  /** Unsubscribe/disconnect: returns what was dispatched and not acknowledged, in dispatch order. */
  close(): BrokerMessage[] {
    this.closed = true;
    const unacked = [...this.inflight.values()].map((e) => e.message);
    this.inflight.clear();
    this.txAckedCount = 0;
    // A durable subscription keeps what it was not sent yet for its next consumer.
    if (this.durable === null) this.backlog.length = 0;
    return unacked;
  }
}
