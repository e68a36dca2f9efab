import { numberDefault } from '../config/config-schema.js';
import type { BrokerMessage } from './message.js';

/** ActiveMQ's `BaseDestination.MAX_PAGE_SIZE`: persistent messages a queue pages into memory at a time. */
export const DEFAULT_MAX_PAGE_SIZE = numberDefault('policyEntry', 'maxPageSize');

/** One stored row read back: `message` is null when the row cannot be mapped (it is skipped). */
export interface PagedRow {
  id: number;
  message: BrokerMessage | null;
}

/** Reads the queue's stored messages with `id > afterId`, in id order, at most `limit`. */
export type PageReader = (afterId: number, limit: number) => Promise<PagedRow[]>;

/**
 * The persistent side of a queue, after ActiveMQ's StoreQueueCursor / QueueStorePrefetch: the queue
 * holds at most about `maxPageSize` waiting persistent messages; once the window is full, newer
 * messages stay only in the store (the paged-out tail) and are read back, in id order, when the
 * window runs low. Store ids increase, so a message is held at arrival only while nothing is paged
 * out behind it, and that keeps the order.
 *
 * A message is published to the queue a little after its commit (after the sender's earlier frames),
 * so a page read may see rows whose publish is still to come. The cursor tells them apart:
 * `expectStored`/`stored` bracket every commit of a message for this queue; a row read before its
 * commit was announced ends the page (read again later); a row announced but not yet published is
 * marked loaded, and its publish is then ignored.
 */
export class StoreCursor {
  /** Highest store id held, dispatched or read back: the next page starts after it. */
  private position = 0;
  /** The store holds messages of this queue after `position` that are not in memory. */
  private pagedOut = false;
  /** Highest id not held at publish because the tail was paged out; a read older than it may be stale. */
  private skippedHigh = 0;
  /** Messages left in the store only (a count for stats; exact after a read reaches the end). */
  private outCount = 0;
  /** Commits of messages for this queue started and not yet resolved. */
  private inFlight = 0;
  /** Highest id whose commit resolved: commits resolve in id order, so every lower id resolved too. */
  private announcedHigh = 0;
  /** Lowest id this broker stored for the queue: every lower id was stored by an earlier master. */
  private lowestOwn = Number.POSITIVE_INFINITY;
  /** Committed, not yet published: `loaded` once a page read already brought it into memory. */
  private readonly unpublished = new Map<number, 'announced' | 'loaded'>();
  private reading = false;
  /** A read met a row whose commit was not announced yet: read again on the next announcement. */
  private stalled = false;

  constructor(
    readonly maxPageSize: number,
    private readonly read: PageReader,
    /** The queue's persistent messages waiting in memory (the window). */
    private readonly waiting: () => number,
    /** Holds a page's messages (in id order) and dispatches. */
    private readonly apply: (messages: BrokerMessage[]) => void,
  ) {}

  /** Messages of this queue that are only in the store. */
  get pagedOutCount(): number {
    return this.pagedOut ? this.outCount : 0;
  }

  get hasPagedOut(): boolean {
    return this.pagedOut;
  }

  /** Where a browse of the stored tail starts: null while nothing is paged out. */
  get tailAfter(): number | null {
    return this.pagedOut ? this.position : null;
  }

  /** Every stored id of this queue below it predates this broker's mastership (Infinity: none stored yet). */
  get lowestOwnId(): number {
    return this.lowestOwn;
  }

  /** A commit adding one message for this queue starts. */
  expectStored(): void {
    this.inFlight++;
  }

  /** That commit resolved: stored with `id`, or null (a producer-audit duplicate, a failure). */
  stored(id: number | null): void {
    this.inFlight--;
    if (id !== null) {
      this.unpublished.set(id, 'announced');
      if (id < this.lowestOwn) this.lowestOwn = id;
      if (id > this.announcedHigh) this.announcedHigh = id;
    }
    if (this.stalled) {
      this.stalled = false;
      this.wake();
    }
  }

  /**
   * A stored message is published to the queue: true to hold it in memory now, false when it is
   * (or will be) read back from the store instead.
   */
  admit(message: BrokerMessage): boolean {
    const id = message.storeId as number;
    const state = this.unpublished.get(id);
    this.unpublished.delete(id);
    if (state === 'loaded') return false;
    // Published after a higher id was held (several producers): no page read will return it.
    if (id <= this.position) return true;
    if (!this.pagedOut && this.waiting() < this.maxPageSize) {
      this.position = id;
      return true;
    }
    this.pagedOut = true;
    this.outCount++;
    if (id > this.skippedHigh) this.skippedHigh = id;
    return false;
  }

  /** Reads the next page when the window ran down to half (a read failure was reported by the reader: retried on the next call). */
  wake(): void {
    if (!this.pagedOut || this.reading || this.stalled) return;
    const waiting = this.waiting();
    if (waiting > this.maxPageSize / 2) return;
    const limit = this.maxPageSize - waiting;
    const skippedBefore = this.skippedHigh;
    this.reading = true;
    this.read(this.position, limit).then(
      (rows) => {
        this.reading = false;
        this.apply(this.take(rows, limit, skippedBefore));
      },
      () => {
        this.reading = false;
      },
    );
  }

  /** The first page at recovery (becoming master): nothing is in flight then. */
  async recoverFirstPage(storedCount: number): Promise<BrokerMessage[]> {
    this.pagedOut = true;
    this.outCount = storedCount;
    const rows = await this.read(0, this.maxPageSize);
    return this.take(rows, this.maxPageSize, this.skippedHigh);
  }

  private take(rows: readonly PagedRow[], limit: number, skippedBefore: number): BrokerMessage[] {
    const messages: BrokerMessage[] = [];
    let complete = true;
    for (const row of rows) {
      if (this.inFlight > 0 && row.id > this.announcedHigh) {
        // Committed but its commit not yet announced: it may still be published; read it later.
        this.stalled = true;
        complete = false;
        break;
      }
      if (this.unpublished.get(row.id) === 'announced') this.unpublished.set(row.id, 'loaded');
      this.position = row.id;
      if (row.message !== null) messages.push(row.message);
    }
    this.outCount = Math.max(0, this.outCount - messages.length);
    // A message skipped while this read ran may have committed after the read began: read again.
    if (complete && rows.length < limit && this.skippedHigh === skippedBefore) {
      this.pagedOut = false;
      this.outCount = 0;
    }
    return messages;
  }
}
