import type { Duplex } from 'node:stream';
import { decodeMessage } from '../destination/message-codec.js';
import { fromContainer } from '../destination/destination-name.js';
import { DurableTopicSubscription } from '../destination/durable-subscription.js';
import { compileSelector, type SelectorOptions } from '../destination/selector/selector.js';
import type { PolicyEntryConfig } from '../config/destination-policy.js';
import type { PersistenceAdapter } from '../store/persistence-adapter.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import { BrokerCore } from './broker-core.js';
import { StompConnection, type ConnectionInfo } from './connection.js';
import { DEFAULT_LIMITS, type StompLimits } from './frame.js';

export { looksLikeOpenWire } from './openwire.js';
export { DEFAULT_LIMITS, type StompLimits } from './frame.js';
export type { ConnectionInfo } from './connection.js';

export interface MessageBrokerOptions {
  brokerName: string;
  /** Memory, SQLite or PostgreSQL. */
  store: PersistenceAdapter;
  logger: Logger;
  clock: Clock;
  /**
   * Checked before ANY frame is written to any client and before any store commit is started:
   * false means this broker may no longer act as master (fencing) → drop, never write.
   */
  isServing: () => boolean;
  /** A store commit failed (StoreError / FencedError): the server should give up mastership. */
  onStoreFailure?: (err: unknown) => void;
  limits?: Partial<StompLimits>;
  /**
   * `transport.hbGracePeriodMultiplier`: a client silent for its heart-beat interval × this is
   * dropped. Default 2 (ActiveMQ's 1.0 with its flag-per-window check drops within 1-2×, and drops
   * punctual clients on timer jitter).
   */
  hbGracePeriodMultiplier?: number;
  /** Selector evaluation (ActiveMQ's CONVERT_STRING_EXPRESSIONS, default off). */
  selectorOptions?: SelectorOptions;
  /** `<destinationPolicy>` entries from the config. */
  destinationPolicy?: readonly PolicyEntryConfig[];
}

export interface DestinationStats {
  name: string;
  pending: number;
  consumers: number;
}

export interface MessageBroker {
  /** Loads queues and their persisted messages from the store (on becoming master). */
  recover(): Promise<void>;
  handleConnection(stream: Duplex, info: ConnectionInfo): void;
  /** At once, no frames written (the master lost its lock). */
  closeAllConnections(): void;
  stats(): { connections: number; destinations: DestinationStats[] };
  /** Closes every connection and waits for store commits already started. Idempotent. */
  stop(): Promise<void>;
}

/** Messages read per store round trip during recovery. */
const RECOVER_PAGE = 1000;

export function createMessageBroker(options: MessageBrokerOptions): MessageBroker {
  const logger = options.logger.child({ component: 'stomp' });
  const core = new BrokerCore({
    brokerName: options.brokerName,
    store: options.store,
    logger,
    clock: options.clock,
    isServing: options.isServing,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    onStoreFailure: options.onStoreFailure ?? ((err) => logger.log('error', 'store commit failed', { error: String(err) })),
    hbGracePeriodMultiplier: options.hbGracePeriodMultiplier ?? 2,
    selectorOptions: options.selectorOptions ?? {},
    destinationPolicy: options.destinationPolicy ?? [],
  });
  const connections = new Set<StompConnection>();
  let stopped = false;

  return {
    async recover() {
      core.destinations.clear();
      core.silenced = false;
      // Durable subscriptions first: they decide which stored topic messages are still owed.
      for (const stored of await options.store.subscriptions()) {
        const name = fromContainer(stored.container);
        if (name === null || name.kind !== 'topic') continue;
        const selector = stored.selector === null ? null : compileSelector(stored.selector, core.selectorOptions);
        core.destinations
          .topic(name)
          .addDurable(new DurableTopicSubscription(stored.container, stored.clientId, stored.subName, selector, stored.subDest, stored.lastAckedId));
      }
      let recovered = 0;
      for (const container of await options.store.containers()) {
        const name = fromContainer(container);
        if (name === null) continue;
        const destination = core.destinations.get(name);
        let afterId = 0;
        for (;;) {
          const page = await options.store.recover(container, afterId, RECOVER_PAGE);
          for (const stored of page) {
            const message = decodeMessage(stored, core.nextMessageSeq());
            if (message === null) continue;
            if (destination.kind === 'queue') destination.enqueue(message);
            else if (destination.kind === 'topic') destination.recoverStored(message);
          }
          afterId = page.at(-1)?.id ?? afterId;
          recovered += page.length;
          if (page.length < RECOVER_PAGE) break;
        }
      }
      logger.log('info', 'recovered persisted messages', { messages: recovered });
    },

    handleConnection(stream, info) {
      if (stopped) {
        stream.destroy();
        return;
      }
      connections.add(new StompConnection(core, stream, info, (c) => connections.delete(c)));
    },

    closeAllConnections() {
      core.silenced = true;
      for (const connection of [...connections]) connection.destroy();
    },

    stats() {
      return {
        connections: connections.size,
        destinations: core.destinations.all().map((d) => ({
          name: d.name.container,
          pending: d.pendingCount,
          consumers: d.consumerCount,
        })),
      };
    },

    async stop() {
      stopped = true;
      for (const connection of [...connections]) connection.close();
      await core.drain();
    },
  };
}
