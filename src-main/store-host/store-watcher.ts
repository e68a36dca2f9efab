import type { LockerKind } from '../../broker/config/broker-config.js';
import type { LabEventInput, LockView } from '../api/contract/index.js';
import type { StoreInspector, StoreSnapshot } from './store-inspector.js';

export interface StoreWatcherOptions {
  pollMs: number;
  metricsEveryMs: number;
  now?: () => number;
}

/**
 * Polls the store for the views: a `lock` event whenever the holder, epoch or lease expiry in
 * ACTIVEMQ_LOCK changes, and a `metrics` tick (queue depths, lease remaining, lab host RSS).
 */
export class StoreWatcher {
  private timer: NodeJS.Timeout | null = null;
  private last: LockView | null = null;
  private snapshot: StoreSnapshot | null = null;
  private lastMetricsAt = 0;
  private failing = false;
  private polling = false;

  constructor(
    private readonly inspector: StoreInspector,
    private readonly lockerKind: LockerKind,
    private readonly emit: (event: LabEventInput) => void,
    private readonly options: StoreWatcherOptions,
  ) {}

  /** The lock as last read from the store. */
  get lock(): LockView | null {
    return this.last;
  }

  get latest(): StoreSnapshot | null {
    return this.snapshot;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.poll(), this.options.pollMs);
    void this.poll();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Reads the store once; also used by `store/inspect`. */
  async poll(): Promise<StoreSnapshot | null> {
    if (this.polling) return this.snapshot;
    this.polling = true;
    try {
      const snapshot = await this.inspector.inspect();
      this.snapshot = snapshot;
      this.failing = false;
      this.observe(snapshot);
      return snapshot;
    } catch (error) {
      if (!this.failing) this.emit({ type: 'log', broker: null, level: 'warn', msg: `cannot read the lock store: ${(error as Error).message}`, fields: {} });
      this.failing = true;
      return null;
    } finally {
      this.polling = false;
    }
  }

  toLockView(snapshot: StoreSnapshot): LockView | null {
    if (!snapshot.lock) return null;
    const { holder, epoch, time } = snapshot.lock;
    return { holder, epoch, leaseExpiresAt: this.lockerKind === 'lease-database-locker' ? time : null };
  }

  private observe(snapshot: StoreSnapshot): void {
    const lock = this.toLockView(snapshot);
    if (lock && (lock.holder !== this.last?.holder || lock.epoch !== this.last.epoch || lock.leaseExpiresAt !== this.last.leaseExpiresAt)) {
      this.emit({ type: 'lock', source: 'store', lock });
    }
    if (lock) this.last = lock;
    const now = (this.options.now ?? Date.now)();
    if (now - this.lastMetricsAt >= this.options.metricsEveryMs) {
      this.lastMetricsAt = now;
      const expires = lock?.leaseExpiresAt ?? null;
      this.emit({ type: 'metrics', labRssBytes: process.memoryUsage.rss(), queues: snapshot.queues, leaseRemainingMs: expires === null ? null : expires - now });
    }
  }
}
