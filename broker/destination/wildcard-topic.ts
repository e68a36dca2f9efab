import { wildcardMatcher, type DestinationName } from './destination-name.js';
import { isExpired, type BrokerMessage } from './message.js';
import type { DestinationContext } from './queue.js';
import type { Dispatcher, InflightEntry, StoreWork, Subscription } from './subscription.js';

/**
 * Subscriptions to a wildcard topic name (`/topic/prices.>`): every topic whose name matches hands
 * its messages here as it publishes them, including topics created later (ActiveMQ's
 * DestinationFilter). Non-durable only.
 */
export class WildcardTopic implements Dispatcher {
  readonly kind = 'wildcard-topic';
  readonly matches: (physicalName: string) => boolean;
  private readonly subscribers = new Set<Subscription>();

  constructor(
    readonly name: DestinationName,
    private readonly context: DestinationContext,
  ) {
    this.matches = wildcardMatcher(name.physicalName);
  }

  get consumerCount(): number {
    return this.subscribers.size;
  }

  get pendingCount(): number {
    let n = 0;
    for (const sub of this.subscribers) n += sub.backlog.length + sub.inflight.size;
    return n;
  }

  publish(message: BrokerMessage): void {
    for (const sub of this.subscribers) {
      if (sub.accepts(message)) sub.offer(message);
    }
  }

  addConsumer(subscription: Subscription): void {
    subscription.dispatcher = this;
    this.subscribers.add(subscription);
  }

  removeConsumer(subscription: Subscription): void {
    this.subscribers.delete(subscription);
    subscription.close();
  }

  wakeUp(subscription: Subscription): void {
    const now = this.context.now();
    while (subscription.backlog.length > 0 && subscription.hasCapacity()) {
      const message = subscription.backlog.shift() as BrokerMessage;
      if (!isExpired(message, now)) subscription.dispatch(message);
    }
  }

  consumed(): void {
    // Non-durable topic messages are not stored.
  }

  acknowledged(_subscription: Subscription, _entries: readonly InflightEntry[], _work: StoreWork): void {
    // Non-durable topic messages are not stored.
  }
}
