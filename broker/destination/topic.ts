import { isExpired, type BrokerMessage } from './message.js';
import type { DestinationName } from './destination-name.js';
import type { DestinationContext } from './queue.js';
import type { Dispatcher, Subscription } from './subscription.js';

/**
 * A topic (ActiveMQ `Topic`) with non-durable subscribers: each current subscriber gets every
 * message published after it subscribed; what exceeds its prefetch waits in its own backlog.
 * Durable subscriptions (`activemq.subscriptionName`) extend this later.
 */
export class Topic implements Dispatcher {
  readonly kind = 'topic';
  private readonly subscribers = new Set<Subscription>();

  constructor(
    readonly name: DestinationName,
    private readonly context: DestinationContext,
  ) {}

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
      if (sub.backlog.length === 0 && sub.hasCapacity()) sub.dispatch(message);
      else sub.backlog.push(message);
    }
  }

  addConsumer(subscription: Subscription): void {
    subscription.dispatcher = this;
    this.subscribers.add(subscription);
  }

  /** Non-durable: what the subscriber had not acknowledged is gone with it. */
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
    // Topic messages are stored only for durable subscribers, which this topic does not have yet.
  }
}
