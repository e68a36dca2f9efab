import type { PolicyEntryConfig } from '../config/destination-policy.js';
import type { DestinationName } from './destination-name.js';
import { policyFor } from './policy.js';
import { Queue, type DestinationContext } from './queue.js';
import type { DurableTopicSubscription } from './durable-subscription.js';
import { Topic } from './topic.js';
import { WildcardTopic } from './wildcard-topic.js';

const NONE: WildcardTopic[] = [];

export type Destination = Queue | Topic | WildcardTopic;

/** Every destination of one broker, created on first use (ActiveMQ's RegionBroker, reduced). */
export class DestinationRegistry {
  private readonly byContainer = new Map<string, Destination>();
  private readonly wildcards = new Set<WildcardTopic>();
  private readonly wildcardsFor = (topic: DestinationName): WildcardTopic[] => {
    if (this.wildcards.size === 0) return NONE;
    const out: WildcardTopic[] = [];
    for (const w of this.wildcards) if (w.matches(topic.physicalName)) out.push(w);
    return out;
  };

  /** Told when a temporary destination comes and goes (OpenWire announces them as advisories). */
  tempListener: { created(name: DestinationName): void; deleted(name: DestinationName): void } | null = null;

  constructor(
    private readonly context: DestinationContext,
    private readonly policies: readonly PolicyEntryConfig[] = [],
  ) {}

  /** The destinationPolicy entry that applies to `name` (null: ActiveMQ defaults). */
  policyFor(name: DestinationName): PolicyEntryConfig | null {
    return this.policies.length === 0 ? null : policyFor(name, this.policies);
  }

  get(name: DestinationName): Destination {
    let destination = this.byContainer.get(name.container);
    if (destination === undefined) {
      const policy = this.policyFor(name);
      if (name.kind === 'queue') destination = new Queue(name, this.context, policy?.prioritizedMessages ?? false, policy?.maxPageSize ?? undefined);
      else if (name.wildcard) {
        destination = new WildcardTopic(name, this.context);
        this.wildcards.add(destination);
      } else destination = new Topic(name, this.context, this.wildcardsFor, policy?.subscriptionRecovery ?? { kind: 'none' });
      this.byContainer.set(name.container, destination);
      if (name.temp) this.tempListener?.created(name);
    }
    return destination;
  }

  has(name: DestinationName): boolean {
    return this.byContainer.has(name.container);
  }

  /** Drops the temporary destinations of a closed connection (ActiveMQ deletes them with it). */
  deleteTemporary(connectionId: string): void {
    const prefix = `${connectionId}:`;
    for (const [container, destination] of this.byContainer) {
      if (!destination.name.temp || !destination.name.physicalName.startsWith(prefix)) continue;
      this.byContainer.delete(container);
      this.tempListener?.deleted(destination.name);
    }
  }

  /** Drops one temporary destination (a JMS client deleted it). */
  deleteOne(name: DestinationName): void {
    if (name.temp && this.byContainer.delete(name.container)) this.tempListener?.deleted(name);
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
    this.wildcards.clear();
  }
}
