import type { DestinationName } from './destination-name.js';
import { Queue, type DestinationContext } from './queue.js';
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

  all(): Destination[] {
    return [...this.byContainer.values()];
  }

  clear(): void {
    this.byContainer.clear();
  }
}
