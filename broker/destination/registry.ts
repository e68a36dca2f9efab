import type { DestinationName } from './destination-name.js';
import { Queue, type DestinationContext } from './queue.js';
import type { DurableTopicSubscription } from './durable-subscription.js';
import { Topic } from './topic.js';

export type Destination = Queue | Topic;

/** Every destination of one broker, created on first use (ActiveMQ's RegionBroker, reduced). */
export class DestinationRegistry {
  private readonly byContainer = new Map<string, Destination>();

  constructor(private readonly context: DestinationContext) {}

  get(name: DestinationName): Destination {
    let destination = this.byContainer.get(name.container);
    if (destination === undefined) {
      destination = name.kind === 'queue' ? new Queue(name, this.context) : new Topic(name, this.context);
      this.byContainer.set(name.container, destination);
    }
    return destination;
  }

  queue(name: DestinationName): Queue {
    const destination = this.get(name);
    if (!(destination instanceof Queue)) throw new TypeError(`${name.container} is not a queue`);
    return destination;
  }

  topic(name: DestinationName): Topic {
    const destination = this.get(name);
    if (!(destination instanceof Topic)) throw new TypeError(`${name.container} is not a topic`);
    return destination;
  }

  /** The durable subscription `key` (clientId + subName) on whichever topic holds it. */
  findDurable(key: string): { topic: Topic; durable: DurableTopicSubscription } | null {
    for (const destination of this.byContainer.values()) {
      if (!(destination instanceof Topic)) continue;
      const durable = destination.durables.get(key);
      if (durable !== undefined) return { topic: destination, durable };
    }
    return null;
  }

  all(): Destination[] {
    return [...this.byContainer.values()];
  }

  clear(): void {
    this.byContainer.clear();
  }
}
