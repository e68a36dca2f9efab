import type { DurableAck } from '../store/persistence-adapter.js';
import { isExpired, type BrokerMessage } from './message.js';
import type { DestinationName } from './destination-name.js';
import type { Dispatcher, InflightEntry, StoreWork, Subscription } from './subscription.js';
import { DEFAULT_MAX_PAGE_SIZE, StoreCursor, type PagedRow } from './store-cursor.js';
import { DispatchMark } from './dispatch-mark.js';

export interface DestinationContext {
  now(): number;
  /** Stored messages of `name` with `id > afterId`, in id order, at most `limit` (store failures are reported by it). */
  readStored(name: DestinationName, afterId: number, limit: number): Promise<PagedRow[]>;
  /** Removes stored messages that left the broker (auto-ack, expiry); batched by the caller. */
  removeFromStore(storeId: number): void;
  /** Advances a durable subscription's LAST_ACKED_ID (auto-ack); batched by the caller. */
  ackDurableLater(ack: DurableAck): void;
  /** Commits the queue's dispatch mark (see DispatchMark); `create` writes its row first. */
  writeDispatchMark(name: DestinationName, mark: number, create: boolean): Promise<void>;
}

/**
 * A queue (ActiveMQ `Queue`): FIFO with redelivered messages first, round-robin dispatch over the
 * consumers with prefetch room; a message is in at most one consumer's inflight set at a time.
 * Persistent messages are paged from the store (see StoreCursor): only about `maxPageSize` of them
 * wait in memory; non-persistent ones always do.
 */
export class Queue implements Dispatcher {
  readonly kind = 'queue';
  private pending: BrokerMessage[] = [];
  private head = 0;
  /** Persistent messages in `pending` (the window the store cursor keeps bounded). */
  private waitingStored = 0;
  readonly storeCursor: StoreCursor;
  /** Handed back by consumers that left, kept in arrival order and dispatched first. */
  private redeliveries: BrokerMessage[] = [];
  private readonly consumers: Subscription[] = [];
  private next = 0;
  private dispatching = false;
  private again = false;
  /** Stored messages up to this id may have been dispatched by an earlier master (0: none). */
  private recoveredMark = 0;
  private mark: DispatchMark;

  constructor(
    readonly name: DestinationName,
    private readonly context: DestinationContext,
    /** policyEntry `prioritizedMessages`: higher JMS priority first (FIFO within a priority). */
    private readonly prioritized = false,
    maxPageSize = DEFAULT_MAX_PAGE_SIZE,
  ) {
    this.storeCursor = new StoreCursor(
      maxPageSize,
      (afterId, limit) => context.readStored(name, afterId, limit),
      () => this.waitingStored,
      (messages) => {
        for (const message of messages) this.hold(this.flagRecovered(message));
        this.dispatch();
      },
    );
    this.mark = this.newMark(null);
  }

  private newMark(recovered: number | null): DispatchMark {
    return new DispatchMark(recovered, (mark, create) => this.context.writeDispatchMark(this.name, mark, create), () => this.dispatch());
  }

  /** The mark read from the store on becoming master, before the first page is recovered. */
  restoreDispatchMark(mark: number): void {
    this.recoveredMark = mark;
    this.mark = this.newMark(mark);
  }

  /** The dispatch mark in the store: every message dispatched from this queue has an id at or below it. */
  get dispatchMark(): number {
    return this.mark.stored;
  }

  /**
   * A stored message read back: at or below the recovered mark, an earlier master may have dispatched
   * it, so it goes out as a redelivery (ActiveMQ's persistJMSRedelivered). Ids this master stored
   * itself are never flagged, even where the old mark reached beyond them.
   */
  private flagRecovered(message: BrokerMessage): BrokerMessage {
    const id = message.storeId as number;
    if (id <= this.recoveredMark && id < this.storeCursor.lowestOwnId) message.redeliveryCounter++;
    return message;
  }

  /** Dispatch of a stored message waits until the dispatch mark in the store covers its id. */
  private markCovers(message: BrokerMessage): boolean {
    return message.storeId === null || this.mark.covers(message.storeId);
  }

  get consumerCount(): number {
    return this.consumers.length;
  }

  /** Messages not yet acknowledged: waiting plus dispatched. */
  get pendingCount(): number {
    let inflight = 0;
    for (const consumer of this.consumers) inflight += consumer.inflight.size;
    return this.pending.length - this.head + this.redeliveries.length + inflight + this.storeCursor.pagedOutCount;
  }

  /**
   * The messages waiting for a consumer, in dispatch order (queue browsing): those in memory, then
   * the paged-out tail read from the store (not kept).
   */
  async browse(): Promise<BrokerMessage[]> {
    const now = this.context.now();
    const waiting = [...this.redeliveries, ...this.pending.slice(this.head)];
    let afterId = this.storeCursor.tailAfter;
    const pageSize = this.storeCursor.maxPageSize * 2;
    while (afterId !== null) {
      const rows = await this.context.readStored(this.name, afterId, pageSize);
      for (const row of rows) if (row.message !== null) waiting.push(row.message);
      afterId = rows.length < pageSize ? null : (rows.at(-1) as PagedRow).id;
    }
    return waiting.filter((m) => !isExpired(m, now));
  }

  /** Recovery on becoming master: only the first page of the stored messages is read. */
  async recoverFirstPage(storedCount: number): Promise<number> {
    const messages = await this.storeCursor.recoverFirstPage(storedCount);
    for (const message of messages) this.hold(this.flagRecovered(message));
    return messages.length;
  }

  enqueue(message: BrokerMessage): void {
    if (message.storeId !== null && !this.storeCursor.admit(message)) {
      // Left in the store: a page read that failed earlier is retried now.
      this.storeCursor.wake();
      return;
    }
    this.hold(message);
    this.dispatch();
  }

  private hold(message: BrokerMessage): void {
    if (message.storeId !== null) this.waitingStored++;
    if (this.prioritized) this.insertByPriority(message);
    else this.pending.push(message);
  }

  private insertByPriority(message: BrokerMessage): void {
    let i = this.pending.length;
    while (i > this.head && (this.pending[i - 1] as BrokerMessage).priority < message.priority) i--;
    this.pending.splice(i, 0, message);
  }

  addConsumer(subscription: Subscription): void {
    subscription.dispatcher = this;
    this.consumers.push(subscription);
    this.dispatch();
  }

  /** The consumer's unacknowledged messages go to the others, marked redelivered. */
  removeConsumer(subscription: Subscription): void {
    const index = this.consumers.indexOf(subscription);
    if (index >= 0) this.consumers.splice(index, 1);
    if (this.next >= this.consumers.length) this.next = 0;
    const unacked = subscription.close();
    if (unacked.length === 0) return;
    for (const message of unacked) message.redeliveryCounter++;
    this.redeliveries = mergeBySeq(this.redeliveries, unacked);
    this.dispatch();
  }

  wakeUp(): void {
    this.dispatch();
  }

  consumed(_subscription: Subscription, message: BrokerMessage): void {
    if (message.storeId !== null) this.context.removeFromStore(message.storeId);
  }

  acknowledged(_subscription: Subscription, entries: readonly InflightEntry[], work: StoreWork): void {
    for (const { message } of entries) if (message.storeId !== null) work.remove.push(message.storeId);
  }

  /** An expired message left the queue without being dispatched. */
  private expired(message: BrokerMessage): void {
    if (message.storeId !== null) this.context.removeFromStore(message.storeId);
  }

  private dispatch(): void {
    if (this.dispatching) {
      this.again = true;
      return;
    }
    this.dispatching = true;
    try {
      do {
        this.again = false;
        this.dispatchRound();
      } while (this.again);
    } finally {
      this.dispatching = false;
    }
    this.storeCursor.wake();
  }

  private dispatchRound(): void {
    if (this.consumers.some((c) => c.selector !== null || c.exclusive)) {
      this.dispatchSelective();
      return;
    }
    const now = this.context.now();
    while (this.consumers.length > 0 && this.hasWaiting()) {
      if (!this.markCovers(this.peek())) return;
      const consumer = this.pickConsumer();
      if (consumer === null) return;
      const message = this.take();
      if (isExpired(message, now)) {
        this.expired(message);
        continue;
      }
      consumer.dispatch(message);
    }
  }

  /**
   * With selectors a message goes to the next consumer (round-robin) that has room and selects it;
   * a message no consumer selects stays in place while later ones pass it (ActiveMQ's queue cursor).
   */
  private dispatchSelective(): void {
    const now = this.context.now();
    const waiting = [...this.redeliveries, ...this.pending.slice(this.head)];
    const left: BrokerMessage[] = [];
    let full = false;
    // Set at the first message the dispatch mark does not cover yet: it and every later one wait (order).
    let held = false;
    for (const message of waiting) {
      if (full || held) {
        left.push(message);
        continue;
      }
      if (isExpired(message, now)) {
        this.expired(message);
        continue;
      }
      if (!this.markCovers(message)) {
        held = true;
        left.push(message);
        continue;
      }
      const consumer = this.pickConsumer(message);
      if (consumer === null) {
        left.push(message);
        full = !this.consumers.some((c) => c.hasCapacity());
        continue;
      }
      consumer.dispatch(message);
    }
    this.redeliveries = [];
    this.pending = left;
    this.head = 0;
    this.waitingStored = 0;
    for (const message of left) if (message.storeId !== null) this.waitingStored++;
  }

  private hasWaiting(): boolean {
    return this.redeliveries.length > 0 || this.head < this.pending.length;
  }

  private peek(): BrokerMessage {
    return (this.redeliveries.length > 0 ? this.redeliveries[0] : this.pending[this.head]) as BrokerMessage;
  }

  private take(): BrokerMessage {
    if (this.redeliveries.length > 0) return this.redeliveries.shift() as BrokerMessage;
    const message = this.pending[this.head] as BrokerMessage;
    this.pending[this.head] = undefined as unknown as BrokerMessage;
    this.head++;
    if (message.storeId !== null) this.waitingStored--;
    if (this.head > 1024 && this.head * 2 > this.pending.length) {
      this.pending = this.pending.slice(this.head);
      this.head = 0;
    }
    return message;
  }

  private pickConsumer(message?: BrokerMessage): Subscription | null {
    // ActiveMQ exclusive consumer: the first exclusive subscriber gets every message while it lives.
    const exclusive = message === undefined ? undefined : this.consumers.find((c) => c.exclusive);
    if (exclusive !== undefined) return exclusive.hasCapacity() && exclusive.accepts(message as BrokerMessage) ? exclusive : null;
    const count = this.consumers.length;
    for (let i = 0; i < count; i++) {
      const index = (this.next + i) % count;
      const consumer = this.consumers[index] as Subscription;
      if (consumer.hasCapacity() && (message === undefined || consumer.accepts(message))) {
        this.next = (index + 1) % count;
        return consumer;
      }
    }
    return null;
  }
}

function mergeBySeq(a: BrokerMessage[], b: BrokerMessage[]): BrokerMessage[] {
  return [...a, ...b].sort((x, y) => x.seq - y.seq);
}
