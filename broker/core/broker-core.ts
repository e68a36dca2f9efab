import type { Duplex } from 'node:stream';
import type { PolicyEntryConfig } from '../config/destination-policy.js';
import type { ConnectionInfo } from '../stomp/connection.js';
import type { DestinationName } from '../destination/destination-name.js';
import { DISPATCH_MARK_CLIENT_ID, DISPATCH_MARK_SUB_NAME, dispatchMarkRow } from '../destination/dispatch-mark.js';
import { decodeMessage } from '../destination/message-codec.js';
import { DestinationRegistry } from '../destination/registry.js';
import type { PagedRow } from '../destination/store-cursor.js';
import type { BatchResult, DurableAck, PersistenceAdapter, StoreBatch, StoredMessage } from '../store/persistence-adapter.js';
import type { BrokerMessage } from '../destination/message.js';
import type { Clock } from '../util/clock.js';
import { FencedError, StoreError } from '../util/errors.js';
import type { Logger } from '../util/log.js';
import type { SecurityPolicy } from '../security/index.js';

export interface BrokerCoreOptions {
  brokerName: string;
  store: PersistenceAdapter;
  logger: Logger;
  clock: Clock;
  isServing: () => boolean;
  onStoreFailure: (err: unknown) => void;
  /** `destinationPolicy` entries (per-destination prefetch, recovery, priority, dead letters). */
  destinationPolicy: readonly PolicyEntryConfig[];
  /** Authentication and authorization (`<plugins>`); a policy without config allows everything. */
  security: SecurityPolicy;
}

/** What every connection of one broker shares: the store gate, destinations, id generators. */
export class BrokerCore {
  readonly destinations: DestinationRegistry;
  /** ActiveMQ ids start with `ID:<host>-<port>-<startTime>-<n>`; ours name the broker instead. */
  readonly idPrefix: string;
  /** Set by closeAllConnections: connections being torn down must not write to the others. */
  silenced = false;
  /** Takes over a connection whose first bytes are OpenWire (set by the broker that serves it). */
  openWireHandOff: ((stream: Duplex, info: ConnectionInfo, firstBytes: Buffer) => void) | null = null;
  private connectionCount = 0;
  private messageSeq = 0;
  private removals: number[] = [];
  /** Durable auto-acks of this turn, the highest per subscription. */
  private durableAcks = new Map<string, DurableAck>();
  private flushScheduled = false;
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Rows found corrupt, each reported once (paging reads a row again after every restart of a page). */
  private readonly corruptRows = new Set<number>();

  constructor(readonly options: BrokerCoreOptions) {
    this.idPrefix = `ID:${options.brokerName}-${options.clock.now()}-0`;
    this.destinations = new DestinationRegistry({
      now: () => options.clock.now(),
      removeFromStore: (id) => this.removeLater(id),
      ackDurableLater: (ack) => this.ackDurableLater(ack),
      readStored: (name, afterId, limit) => this.readStored(name, afterId, limit),
      writeDispatchMark: (name, mark, create) => this.writeDispatchMark(name.container, mark, create),
    }, options.destinationPolicy);
  }

  /**
   * A queue's dispatch mark, in its reserved ACTIVEMQ_ACKS row: created like a durable subscription,
   * then advanced like one (LAST_ACKED_ID only moves forward), fenced like every commit.
   */
  async writeDispatchMark(container: string, mark: number, create: boolean): Promise<void> {
    if (create) {
      await this.gated(() => this.options.store.addSubscription(dispatchMarkRow(container, mark)));
      return;
    }
    await this.commit({ durableAcks: [{ container, clientId: DISPATCH_MARK_CLIENT_ID, subName: DISPATCH_MARK_SUB_NAME, lastAckedId: mark }] });
  }

  /**
   * A page of a queue's stored messages (paging in, browsing). Reads need no fence; a failed read
   * while serving is reported like a failed commit (the store is in doubt).
   */
  async readStored(name: DestinationName, afterId: number, limit: number): Promise<PagedRow[]> {
    try {
      const rows = await this.options.store.recover(name.container, afterId, limit);
      return rows.map((row) => ({ id: row.id, message: this.decodeStored(row) }));
    } catch (err) {
      if (this.options.isServing()) this.options.onStoreFailure(err);
      throw err;
    }
  }

  /**
   * A stored row as a message; null for a row of a container this broker does not map, and for a
   * row that cannot be decoded (written by another program, or damaged): that one is reported and
   * skipped, and left in the store for an operator, so one bad row cannot keep every broker of the
   * cluster from becoming master.
   */
  decodeStored(row: StoredMessage): BrokerMessage | null {
    try {
      return decodeMessage(row, this.nextMessageSeq());
    } catch (err) {
      if (!(err instanceof StoreError)) throw err;
      if (!this.corruptRows.has(row.id)) {
        if (this.corruptRows.size >= 10_000) this.corruptRows.clear();
        this.corruptRows.add(row.id);
        this.options.logger.log('error', `skipped stored message ${row.id} of ${row.container}: ${err.message}; it stays in the store`, {
          id: row.id,
          container: row.container,
        });
      }
      return null;
    }
  }

  get security(): SecurityPolicy {
    return this.options.security;
  }

  nextConnectionNumber(): number {
    return ++this.connectionCount;
  }

  nextMessageSeq(): number {
    return ++this.messageSeq;
  }

  /**
   * The only way to the store: refuses before starting when this broker may no longer act as
   * master (fencing), and reports every store failure so the server can give up mastership.
   */
  commit(batch: StoreBatch): Promise<BatchResult> {
    return this.gated(() => this.options.store.commit(batch));
  }

  /** Any other store write (durable subscriptions), through the same gate. */
  gated<T>(work: () => Promise<T>): Promise<T> {
    if (!this.options.isServing()) return Promise.reject(new FencedError('broker is not serving'));
    const pending = work();
    this.inFlight.add(pending);
    pending.then(
      () => this.inFlight.delete(pending),
      (err: unknown) => {
        this.inFlight.delete(pending);
        this.options.onStoreFailure(err);
      },
    );
    return pending;
  }

  /** Auto-acknowledged and expired messages: removed in one batch per turn of the event loop. */
  removeLater(storeId: number): void {
    this.removals.push(storeId);
    this.flushLater();
  }

  ackDurableLater(ack: DurableAck): void {
    const key = `${ack.container}\u0000${ack.clientId}\u0000${ack.subName}`;
    const known = this.durableAcks.get(key);
    if (known === undefined || known.lastAckedId < ack.lastAckedId) this.durableAcks.set(key, ack);
    this.flushLater();
  }

  private flushLater(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      // Not serving yet (recovery) or any more: keep the work; a next master recomputes it anyway.
      if (!this.options.isServing()) return;
      const batch: StoreBatch = { remove: this.removals, durableAcks: [...this.durableAcks.values()] };
      this.removals = [];
      this.durableAcks = new Map();
      this.commit(batch).catch(() => {
        // Reported through onStoreFailure; the rows stay and are redelivered by the next master.
      });
    });
  }

  /** Resolves once every store commit started so far has settled. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0 || this.flushScheduled) {
      await Promise.allSettled([...this.inFlight, new Promise((r) => setImmediate(r))]);
    }
  }
}
