import type { DurableSubscription } from '../store/persistence-adapter.js';

/**
 * How far ahead of the message that needs it a new dispatch mark reaches (in ACTIVEMQ_MSGS ids):
 * one mark write per about this many ids dispatched from a queue. Store ids are shared by every
 * destination, so a queue among N equally busy ones writes about once per CHUNK / N of its own.
 */
export const DISPATCH_MARK_CHUNK = 1000;

/** The next mark write starts when dispatch comes this close to the stored mark, so dispatch rarely waits. */
const DISPATCH_MARK_LOOKAHEAD = DISPATCH_MARK_CHUNK / 4;

/**
 * The reserved ACTIVEMQ_ACKS row holding a queue's mark: CONTAINER `queue://NAME`, this CLIENT_ID and
 * SUB_NAME. It cannot clash with a durable subscription: those live under `topic://` containers only.
 */
export const DISPATCH_MARK_CLIENT_ID = 'ActiveMQ.DispatchMark';
export const DISPATCH_MARK_SUB_NAME = 'ActiveMQ.DispatchMark';

export function isDispatchMarkRow(row: { container: string; clientId: string; subName: string }): boolean {
  return row.container.startsWith('queue://') && row.clientId === DISPATCH_MARK_CLIENT_ID && row.subName === DISPATCH_MARK_SUB_NAME;
}

export function dispatchMarkRow(container: string, mark: number): DurableSubscription {
  return { container, clientId: DISPATCH_MARK_CLIENT_ID, subName: DISPATCH_MARK_SUB_NAME, selector: null, subDest: container, lastAckedId: mark };
}

/** Commits `mark` as the queue's stored mark; `create` when its row does not exist yet. Failures are reported by the writer. */
export type DispatchMarkWriter = (mark: number, create: boolean) => Promise<void>;

/**
 * A persistent queue's dispatch high-water mark: every message the broker ever dispatched from the
 * queue has a store id at or below the mark in the store, so the next master knows which stored
 * messages may have reached a consumer (and flags them `redelivered`), at one store write per chunk
 * instead of ActiveMQ's `persistJMSRedelivered` write per dispatch.
 */
export class DispatchMark {
  private committed: number;
  private exists: boolean;
  private writing = false;

  constructor(
    /** The mark read at recovery; null when the queue has no mark row. */
    recovered: number | null,
    private readonly write: DispatchMarkWriter,
    /** A write committed: dispatch held for it may go on. */
    private readonly advanced: () => void,
  ) {
    this.committed = recovered ?? 0;
    this.exists = recovered !== null;
  }

  /** The mark known to be in the store. */
  get stored(): number {
    return this.committed;
  }

  /**
   * True when the message with `storeId` may be dispatched now. Otherwise a write is under way and
   * `advanced` is called once it commits. Near the mark, the next write starts ahead of need.
   */
  covers(storeId: number): boolean {
    if (storeId <= this.committed - DISPATCH_MARK_LOOKAHEAD) return true;
    if (!this.writing) this.start(Math.max(storeId, this.committed) + DISPATCH_MARK_CHUNK);
    return storeId <= this.committed;
  }

  private start(mark: number): void {
    this.writing = true;
    this.write(mark, !this.exists).then(
      () => {
        this.writing = false;
        this.exists = true;
        if (mark > this.committed) this.committed = mark;
        this.advanced();
      },
      () => {
        // The writer reported it (the broker gives up mastership); a later dispatch tries again.
        this.writing = false;
      },
    );
  }
}
