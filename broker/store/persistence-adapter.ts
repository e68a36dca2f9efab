import type { Fence } from '../lock/locker.js';

/**
 * The PersistenceAdapter port. Tables echo ActiveMQ's JDBC schema (`ACTIVEMQ_MSGS`, `ACTIVEMQ_ACKS`);
 * `MSG` holds our own encoding (see message-codec.ts), not OpenWire.
 */

/** A destination as ActiveMQ names containers: `queue://FOO`, `topic://BAR`. */
export type Container = string;

export interface NewMessage {
  container: Container;
  /** Producer audit key (headers `producer-id` / `producer-seq`); both null when the SEND had none. */
  producerId: string | null;
  producerSeq: number | null;
  /** Epoch ms, 0 = never expires (ActiveMQ's convention). */
  expiration: number;
  priority: number;
  msg: Uint8Array;
}

export interface StoredMessage extends NewMessage {
  /** `ACTIVEMQ_MSGS.ID`: assigned by the store, increasing, never reused. */
  id: number;
}

export interface DurableSubscription {
  container: Container;
  clientId: string;
  subName: string;
  selector: string | null;
  /** The destination the subscriber asked for (may be a wildcard), ActiveMQ's `SUB_DEST`. */
  subDest: string;
  lastAckedId: number;
}

export interface DurableAck {
  container: Container;
  clientId: string;
  subName: string;
  lastAckedId: number;
}

/** One atomic unit of work: a SEND (or a transaction's SENDs), an ACK, or both. */
export interface StoreBatch {
  add?: readonly NewMessage[];
  /** Message ids to delete (queue acknowledgements). */
  remove?: readonly number[];
  durableAcks?: readonly DurableAck[];
}

export type AddResult =
  | { kind: 'stored'; id: number }
  /** The producer audit already holds this producer id + sequence: receipt again, store nothing. */
  | { kind: 'duplicate' };

export interface BatchResult {
  /** One entry per `add`, in order. */
  added: AddResult[];
}

/** SQLite `synchronous`: `normal` (default) survives kill -9 of any process; `full` survives power loss. */
export type Durability = 'off' | 'normal' | 'full';

export interface PersistenceAdapter {
  /** Opens connections and creates tables (when asked to). Idempotent. */
  start(): Promise<void>;
  /** Waits for in-flight commits, then closes every connection. Idempotent. */
  stop(): Promise<void>;
  /** Set by a master when it takes the lock; every later commit checks it in the same transaction. */
  setFence(fence: Fence | null): void;
  /**
   * Commits the batch atomically. Concurrent calls are group-committed into one database
   * transaction; the promise resolves only after that transaction committed. Rejects with a
   * `FencedError` when the epoch check fails, with a `StoreError` when the database fails.
   */
  commit(batch: StoreBatch): Promise<BatchResult>;
  /** Every container that holds messages or durable subscriptions. */
  containers(): Promise<Container[]>;
  /** Messages of a container with `id > afterId`, in id order, at most `limit`. */
  recover(container: Container, afterId: number, limit: number): Promise<StoredMessage[]>;
  addSubscription(sub: DurableSubscription): Promise<void>;
  removeSubscription(container: Container, clientId: string, subName: string): Promise<void>;
  subscriptions(): Promise<DurableSubscription[]>;
  /** Message count per container (for status and the lab's Store view). */
  counts(): Promise<Map<Container, number>>;
  /**
   * Simulated database failure (SQLite has no link to cut): while set, every operation rejects with
   * a `StoreError`. The lab says this fault is simulated.
   */
  simulateFailure(failing: boolean): void;
}
