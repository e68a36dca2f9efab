import type { Duplex } from 'node:stream';
import { parseDestination } from '../destination/destination-name.js';
import { recoverDestinations } from '../destination/recover-destinations.js';
import type { SecurityConfig } from '../config/index.js';
import { SecurityPolicy } from '../security/index.js';
import { Subscription } from '../destination/subscription.js';
import type { PolicyEntryConfig } from '../config/destination-policy.js';
import { DEFAULT_CONNECTOR_SETTINGS } from '../config/connector-options.js';
import type { PersistenceAdapter } from '../store/persistence-adapter.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import { BrokerCore } from '../core/index.js';
import { StompConnection, type ConnectionInfo } from './connection.js';
import { encodeFrame } from './writer.js';
import { OpenWireConnection } from '../openwire/connection.js';
import { announceTemp } from '../openwire/advisory.js';

export { looksLikeOpenWire } from './openwire.js';
export { DEFAULT_LIMITS, type StompLimits } from './frame.js';
export { DEFAULT_CONNECTOR_SETTINGS, type ConnectorSettings } from '../config/connector-options.js';
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
  /** `<destinationPolicy>` entries from the config. */
  destinationPolicy?: readonly PolicyEntryConfig[];
  /** `<plugins>` security (authentication, authorization); none lets every client do anything. */
  security?: SecurityConfig | null;
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
  /**
   * Purges a queue (`/queue/NAME`, like ActiveMQ's QueueViewMBean.purge): the messages waiting for a
   * consumer leave memory and the store; dispatched, unacknowledged ones stay. Resolves with the count.
   */
  purge(destination: string): Promise<number>;
  /** Closes every connection and waits for store commits already started. Idempotent. */
  stop(): Promise<void>;
}

export function createMessageBroker(options: MessageBrokerOptions): MessageBroker {
  const logger = options.logger.child({ component: 'stomp' });
  const core = new BrokerCore({
    brokerName: options.brokerName,
    store: options.store,
    logger,
    clock: options.clock,
    isServing: options.isServing,
    onStoreFailure: options.onStoreFailure ?? ((err) => logger.log('error', 'store commit failed', { error: String(err) })),
    destinationPolicy: options.destinationPolicy ?? [],
    security: new SecurityPolicy(options.security ?? null),
  });
  const connections = new Set<{ close(): void; destroy(): void }>();
  /** Open connections per connector name (`maximumConnections`). */
  const perConnector = new Map<string, number>();
  let stopped = false;
  const closed = (info: ConnectionInfo) => (c: { close(): void; destroy(): void }) => {
    connections.delete(c);
    const left = (perConnector.get(info.connector) ?? 1) - 1;
    if (left > 0) perConnector.set(info.connector, left);
    else perConnector.delete(info.connector);
  };
  // Temporary destinations of either protocol are announced to JMS clients' advisory consumers.
  core.destinations.tempListener = {
    created: (name) => announceTemp(core, name, true),
    deleted: (name) => announceTemp(core, name, false),
  };
  // A connection that starts with OpenWire moves from the STOMP side to an OpenWire connection.
  core.openWireHandOff = (stream, info, firstBytes) => {
    if (stopped) {
      stream.destroy();
      return;
    }
    perConnector.set(info.connector, (perConnector.get(info.connector) ?? 0) + 1);
    connections.add(new OpenWireConnection(core, stream, info, firstBytes, closed(info)));
  };

  /**
   * ActiveMQ's TcpTransportServer closes the socket silently; an ERROR frame tells a STOMP client
   * why (written before the version is known, so 1.0 encoding).
   */
  const refuse = (stream: Duplex, info: ConnectionInfo, max: number) => {
    const message = `Exceeded the maximum number of allowed client connections. See the 'maximumConnections' property on the TCP transport configuration URI in the ActiveMQ configuration file (e.g., activemq.xml)`;
    logger.log('warn', message, { connector: info.connector, remoteAddress: info.remoteAddress, maximumConnections: max });
    stream.on('error', () => stream.destroy());
    if (!options.isServing() || core.silenced) {
      stream.destroy();
      return;
    }
    stream.end(encodeFrame({ command: 'ERROR', headers: [['message', message], ['content-type', 'text/plain']], body: Buffer.from(message) }, '1.0'));
    // A client that never reads must not hold the socket open.
    setTimeout(() => stream.destroy(), 5000).unref();
  };

  return {
    async recover() {
      core.silenced = false;
      await recoverDestinations({
        store: options.store,
        destinations: core.destinations,
        decode: (row) => core.decodeStored(row),
        logger,
      });
    },

    handleConnection(stream, info) {
      if (stopped) {
        stream.destroy();
        return;
      }
      const settings = info.settings ?? DEFAULT_CONNECTOR_SETTINGS;
      const open = perConnector.get(info.connector) ?? 0;
      if (open >= settings.maximumConnections) {
        refuse(stream, info, settings.maximumConnections);
        return;
      }
      perConnector.set(info.connector, open + 1);
      connections.add(new StompConnection(core, stream, { ...info, settings }, closed(info)));
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

    async purge(destination) {
      const name = parseDestination(destination, 'lab');
      if (name.kind !== 'queue' || name.wildcard) throw new Error(`only a queue can be purged, not ${destination}`);
      if (!core.destinations.has(name)) return 0;
      const queue = core.destinations.queue(name);
      let purged = 0;
      // An auto-ack consumer that takes what waits: rows go through the queue's own removal path
      // (batched and fenced like any ack); rounds repeat while a store page keeps bringing more.
      const purger = new Subscription(null, name, 'auto', 1, { writable: () => true, nextAckId: () => '', deliver: () => void purged++ }, queue);
      queue.addConsumer(purger);
      for (let before = -1; before !== purged; ) {
        before = purged;
        await core.drain();
        await new Promise((resolve) => setImmediate(resolve));
      }
      queue.removeConsumer(purger);
      await core.drain();
      return purged;
    },

    async stop() {
      stopped = true;
      for (const connection of [...connections]) connection.close();
      await core.drain();
    },
  };
}
