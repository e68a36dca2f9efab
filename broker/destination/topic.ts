import { isExpired, type BrokerMessage } from './message.js';
import type { DestinationName } from './destination-name.js';
import type { DurableTopicSubscription } from './durable-subscription.js';
import type { DestinationContext } from './queue.js';
import type { SubscriptionRecoveryPolicy } from '../config/destination-policy.js';
import { RecoveryBuffer } from './recovery-buffer.js';
import type { WildcardTopic } from './wildcard-topic.js';
import type { Dispatcher, InflightEntry, StoreWork, Subscription } from './subscription.js';

/**
 * A topic (ActiveMQ `Topic`): each current subscriber gets every message published after it
 * subscribed; what exceeds its prefetch waits in its own backlog. Durable subscriptions
 * (`activemq.subscriptionName`) also collect persistent messages while offline; a stored topic
 * message is one row shared by every durable subscription that owes it, deleted when none does.
 */
export class Topic implements Dispatcher {
  readonly kind = 'topic';
  private readonly subscribers = new Set<Subscription>();
  readonly durables = new Map<string, DurableTopicSubscription>();
  /** Stored message id → how many durable subscriptions still owe it. */
  private readonly storeRefs = new Map<number, number>();
  /** The highest store id this topic has seen: a new durable subscription starts after it. */
  highestStoreId = 0;

  constructor(
    readonly name: DestinationName,
    private readonly context: DestinationContext,
    /** Wildcard subscriptions whose pattern matches this topic's name. */
    private readonly wildcardsFor: (name: DestinationName) => WildcardTopic[] = () => [],
    recoveryPolicy: SubscriptionRecoveryPolicy = { kind: 'none' },
  ) {
    this.recovery = recoveryPolicy.kind === 'none' ? null : new RecoveryBuffer(recoveryPolicy, () => context.now());
  }

  private readonly recovery: RecoveryBuffer | null;

  /** `activemq.retroactive:true`: the subscriber first gets what the recovery policy kept. */
  recoverInto(subscription: Subscription): void {
    if (this.recovery === null) return;
    for (const message of this.recovery.recover()) if (subscription.accepts(message)) subscription.backlog.push(message);
  }

  get consumerCount(): number {
    let active = 0;
    for (const durable of this.durables.values()) if (durable.active !== null) active++;
    return this.subscribers.size + active;
  }

  get pendingCount(): number {
    let n = 0;
    for (const sub of this.subscribers) n += sub.backlog.length + sub.inflight.size;
    for (const durable of this.durables.values()) n += durable.pending.length + (durable.active?.inflight.size ?? 0);
    return n;
  }

  get hasDurables(): boolean {
    return this.durables.size > 0;
  }

  publish(message: BrokerMessage): void {
    this.recovery?.add(message);
    for (const sub of this.subscribers) if (sub.accepts(message)) sub.offer(message);
    for (const wildcard of this.wildcardsFor(this.name)) wildcard.publish(message);
    if (this.durables.size === 0) return;
    const storeId = message.storeId;
    let owed = 0;
    for (const durable of this.durables.values()) {
      // Non-persistent messages reach only durable subscriptions that are online (as in ActiveMQ).
      if (storeId === null ? durable.active === null : !durable.wants(storeId)) continue;
      if (!durable.accepts(message)) continue;
      if (storeId !== null) {
        durable.track(storeId);
        owed++;
      }
      if (durable.active !== null) durable.active.offer(message);
      else durable.pending.push(message);
    }
    if (storeId !== null) this.owe(storeId, owed);
  }

  /** A stored message read back on becoming master: owed to the durables whose LAST_ACKED_ID is below it. */
  recoverStored(message: BrokerMessage): void {
    const storeId = message.storeId as number;
    let owed = 0;
    for (const durable of this.durables.values()) {
      if (!durable.wants(storeId) || !durable.accepts(message)) continue;
      durable.track(storeId);
      durable.pending.push(message);
      owed++;
    }
    this.owe(storeId, owed);
  }

  addDurable(durable: DurableTopicSubscription): void {
    this.durables.set(durable.key, durable);
  }

  /** Forgets a durable subscription; returns the rows no durable subscription owes any more. */
  removeDurable(durable: DurableTopicSubscription): number[] {
    this.durables.delete(durable.key);
    const remove: number[] = [];
    for (const id of durable.releaseAll()) if (this.release(id)) remove.push(id);
    return remove;
  }

  addConsumer(subscription: Subscription): void {
    subscription.dispatcher = this;
    if (subscription.durable === null) {
      this.subscribers.add(subscription);
      return;
    }
    subscription.durable.active = subscription;
    this.wakeUp(subscription);
  }

  /**
   * Non-durable: what the subscriber had not acknowledged is gone with it. Durable: it goes back
   * in front of the pending messages, marked redelivered, for the next consumer.
   */
  removeConsumer(subscription: Subscription): void {
    this.subscribers.delete(subscription);
    const unacked = subscription.close();
    const durable = subscription.durable;
    if (durable === null) return;
    if (durable.active === subscription) durable.active = null;
    if (durable.inUse === subscription) durable.inUse = null;
    if (unacked.length === 0) return;
    for (const message of unacked) message.redeliveryCounter++;
    const merged = [...unacked, ...durable.pending].sort((x, y) => x.seq - y.seq);
    durable.pending.length = 0;
    durable.pending.push(...merged);
  }

  wakeUp(subscription: Subscription): void {
    const now = this.context.now();
    while (subscription.backlog.length > 0 && subscription.hasCapacity()) {
      const message = subscription.backlog.shift() as BrokerMessage;
      if (!isExpired(message, now)) subscription.dispatch(message);
      else this.consumed(subscription, message);
    }
  }

  consumed(subscription: Subscription, message: BrokerMessage): void {
    if (subscription.durable === null || message.storeId === null) return;
    const ack = subscription.durable.acknowledge([message.storeId]);
    if (ack !== null) this.context.ackDurableLater(ack);
    if (this.release(message.storeId)) this.context.removeFromStore(message.storeId);
  }

  acknowledged(subscription: Subscription, entries: readonly InflightEntry[], work: StoreWork): void {
    const durable = subscription.durable;
    if (durable === null) return;
    const ids: number[] = [];
    for (const { message } of entries) if (message.storeId !== null) ids.push(message.storeId);
    if (ids.length === 0) return;
    const ack = durable.acknowledge(ids);
    if (ack !== null) work.durableAcks.push(ack);
    for (const id of ids) if (this.release(id)) work.remove.push(id);
  }

  private owe(storeId: number, count: number): void {
    if (storeId > this.highestStoreId) this.highestStoreId = storeId;
    // Stored for durables none of which wanted it (selectors, a race with an unsubscribe): drop the row.
    if (count === 0) this.context.removeFromStore(storeId);
    else this.storeRefs.set(storeId, count);
  }

  /** One durable subscription no longer owes the row; true when none does. */
  private release(storeId: number): boolean {
    const left = (this.storeRefs.get(storeId) ?? 1) - 1;
    if (left > 0) {
      this.storeRefs.set(storeId, left);
      return false;
    }
    this.storeRefs.delete(storeId);
    return true;
  }
}
