import type { DurableAck, DurableSubscription } from '../store/persistence-adapter.js';
import type { BrokerMessage } from './message.js';
import { messageProperties } from './selector/message-properties.js';
import type { Selector } from './selector/selector.js';
import type { Subscription } from './subscription.js';

/** `clientId` + `subName`: what identifies a durable subscription in ActiveMQ and in ACTIVEMQ_ACKS. */
export function durableKey(clientId: string, subName: string): string {
  return `${clientId}\u0000${subName}`;
}

/**
 * ActiveMQ's DurableTopicSubscription: outlives its consumer. Messages published while it is
 * inactive wait in `pending`; its position in the store is `LAST_ACKED_ID`, which only moves past
 * a stored message once it and every earlier stored message of this subscription were acknowledged.
 */
export class DurableTopicSubscription {
  /** Messages not yet dispatched (the active consumer's backlog), in arrival order. */
  readonly pending: BrokerMessage[] = [];
  /** The consumer receiving now; null while the subscription is inactive (offline). */
  active: Subscription | null = null;
  /** The consumer that claimed it (set at SUBSCRIBE, before it is attached after its RECEIPT). */
  inUse: Subscription | null = null;
  /** Store ids delivered to this subscription and not yet acknowledged, ascending from `head`. */
  private outstanding: number[] = [];
  private head = 0;
  private readonly acked = new Set<number>();

  constructor(
    readonly container: string,
    readonly clientId: string,
    readonly subName: string,
    private readonly compiled: Selector | null,
    /** `SUB_DEST`: the destination as the subscriber named it. */
    readonly subDest: string,
    private lastAckedId: number,
  ) {}

  /** Messages its selector does not select are neither stored for it nor sent. */
  accepts(message: BrokerMessage): boolean {
    return this.compiled === null || this.compiled.matches(messageProperties(message));
  }

  get selector(): string | null {
    return this.compiled?.text ?? null;
  }

  get key(): string {
    return durableKey(this.clientId, this.subName);
  }

  get outstandingCount(): number {
    return this.outstanding.length - this.head;
  }

  toStored(): DurableSubscription {
    return {
      container: this.container,
      clientId: this.clientId,
      subName: this.subName,
      selector: this.selector,
      subDest: this.subDest,
      lastAckedId: this.lastAckedId,
    };
  }

  /** True when this stored message is still owed to the subscription (after LAST_ACKED_ID). */
  wants(storeId: number): boolean {
    return storeId > this.lastAckedId;
  }

  /** A stored message now owed to this subscription. */
  track(storeId: number): void {
    const ids = this.outstanding;
    let i = ids.length;
    // Store ids arrive almost always in order: insertion from the end is O(1) then.
    while (i > this.head && (ids[i - 1] as number) > storeId) i--;
    ids.splice(i, 0, storeId);
  }

  /**
   * Stored messages acknowledged (or dead-lettered): returns the new `LAST_ACKED_ID` as a store
   * ack when the contiguous acknowledged prefix grew, else null.
   */
  acknowledge(storeIds: readonly number[]): DurableAck | null {
    for (const id of storeIds) this.acked.add(id);
    const before = this.lastAckedId;
    while (this.head < this.outstanding.length && this.acked.has(this.outstanding[this.head] as number)) {
      const id = this.outstanding[this.head] as number;
      this.acked.delete(id);
      this.lastAckedId = id;
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.outstanding.length) {
      this.outstanding = this.outstanding.slice(this.head);
      this.head = 0;
    }
    if (this.lastAckedId === before) return null;
    return { container: this.container, clientId: this.clientId, subName: this.subName, lastAckedId: this.lastAckedId };
  }

  /** Every store id still owed (the subscription is being removed). */
  releaseAll(): number[] {
    const ids = this.outstanding.slice(this.head);
    this.outstanding = [];
    this.head = 0;
    this.acked.clear();
    this.pending.length = 0;
    return ids;
  }
}
