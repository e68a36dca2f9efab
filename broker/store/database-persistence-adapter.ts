import type { Fence } from '../lock/locker.js';
import { LabError, StoreError } from '../util/errors.js';
import type { Logger } from '../util/log.js';
import { GroupCommitter } from './group-commit.js';
import type {
  BatchResult,
  Container,
  DurableSubscription,
  PersistenceAdapter,
  StoreBatch,
  StoredMessage,
} from './persistence-adapter.js';

/** One write a dialect runs inside a group transaction, in submission order. */
export type WriteOp =
  | { kind: 'batch'; batch: StoreBatch }
  | { kind: 'subscribe'; sub: DurableSubscription }
  | { kind: 'unsubscribe'; container: Container; clientId: string; subName: string };

/**
 * What SQLite and PostgreSQL share: lifecycle, group commit, the simulated failure and the mapping
 * of every database error to a `StoreError` (a `FencedError` passes through untouched).
 * Subscription changes go through the same group commit, so they are fenced and ordered with SENDs.
 */
export abstract class DatabasePersistenceAdapter implements PersistenceAdapter {
  private fence: Fence | null = null;
  private failing = false;
  private open = false;
  private starting: Promise<void> | null = null;
  private stopping: Promise<void> | null = null;
  private readonly committer: GroupCommitter<WriteOp, BatchResult>;

  protected constructor(
    protected readonly logger: Logger,
    limits: { maxGroupSize: number; maxGroupBytes?: number },
  ) {
    this.committer = new GroupCommitter<WriteOp, BatchResult>({
      ...limits,
      sizeOf: (op) => this.sizeOf(op),
      canIsolate: (error) => !this.failing && error instanceof StoreError && this.canIsolate(error.cause),
      run: (ops) => this.guard('commit', () => this.writeGroup(ops, this.fence)),
    });
  }

  /** Opens connections; creates tables when configured to. */
  protected abstract openDatabase(): Promise<void>;
  protected abstract closeDatabase(): Promise<void>;
  /**
   * Runs the ops in one transaction that first calls `fence.assertHeld()` and checks the epoch
   * (when a fence is set); returns one result per op.
   */
  protected abstract writeGroup(ops: readonly WriteOp[], fence: Fence | null): Promise<BatchResult[]>;
  /** What an op weighs against `maxGroupBytes`. */
  protected sizeOf(_op: WriteOp): number {
    return 0;
  }
  /** True when the raw database error may come from one op only (see GroupCommitOptions.canIsolate). */
  protected abstract canIsolate(error: unknown): boolean;
  protected abstract readContainers(): Promise<Container[]>;
  protected abstract readMessages(container: Container, afterId: number, limit: number): Promise<StoredMessage[]>;
  protected abstract readSubscriptions(): Promise<DurableSubscription[]>;
  protected abstract readCounts(): Promise<Map<Container, number>>;

  start(): Promise<void> {
    if (this.open) return Promise.resolve();
    this.starting ??= this.guard('start', () => this.openDatabase())
      .then(() => {
        this.open = true;
        this.logger.log('info', 'persistence adapter started');
      })
      .finally(() => {
        this.starting = null;
      });
    return this.starting;
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.starting?.catch(() => undefined);
      if (!this.open) return;
      await this.committer.drain();
      this.open = false;
      await this.closeDatabase();
      this.logger.log('info', 'persistence adapter stopped');
    })().finally(() => {
      this.stopping = null;
    });
    return this.stopping;
  }

  setFence(fence: Fence | null): void {
    this.fence = fence;
  }

  simulateFailure(failing: boolean): void {
    this.failing = failing;
    this.logger.log('warn', failing ? 'simulated database failure on' : 'simulated database failure off');
  }

  commit(batch: StoreBatch): Promise<BatchResult> {
    return this.submit({ kind: 'batch', batch });
  }

  async addSubscription(sub: DurableSubscription): Promise<void> {
    await this.submit({ kind: 'subscribe', sub });
  }

  async removeSubscription(container: Container, clientId: string, subName: string): Promise<void> {
    await this.submit({ kind: 'unsubscribe', container, clientId, subName });
  }

  containers(): Promise<Container[]> {
    return this.guard('containers', () => this.readContainers());
  }

  recover(container: Container, afterId: number, limit: number): Promise<StoredMessage[]> {
    return this.guard('recover', () => this.readMessages(container, afterId, limit));
  }

  subscriptions(): Promise<DurableSubscription[]> {
    return this.guard('subscriptions', () => this.readSubscriptions());
  }

  counts(): Promise<Map<Container, number>> {
    return this.guard('counts', () => this.readCounts());
  }

  private submit(op: WriteOp): Promise<BatchResult> {
    if (!this.open || this.stopping) {
      return Promise.reject(new StoreError('persistence adapter is not started'));
    }
    if (op.kind === 'batch' && !op.batch.add?.length && !op.batch.remove?.length && !op.batch.durableAcks?.length) {
      return Promise.resolve({ added: [] });
    }
    return this.committer.submit(op);
  }

  /** Every entry point goes through here: the simulated failure, then errors mapped to StoreError. */
  private async guard<T>(operation: string, body: () => Promise<T>): Promise<T> {
    if (this.failing) throw new StoreError(`${operation} failed: simulated database failure`);
    if (operation !== 'start' && !this.open) {
      throw new StoreError(`${operation} failed: persistence adapter is not started`);
    }
    try {
      return await body();
    } catch (error) {
      if (error instanceof LabError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new StoreError(`${operation} failed: ${message}`, { cause: error });
    }
  }
}
