import type { Clock } from '../util/clock.js';
import { FencedError, LockError } from '../util/errors.js';
import type { Logger } from '../util/log.js';
import type { Acquired, Fence, Locker, RenewResult } from './locker.js';

/** Schedules one callback; returns its cancel function. Injected so unit tests never sleep. */
export type ScheduleFn = (delayMs: number, callback: () => void) => () => void;

const realSchedule: ScheduleFn = (delayMs, callback) => {
  const timer = setTimeout(callback, delayMs);
  return () => clearTimeout(timer);
};

export interface LockKeeperOptions {
  locker: Locker;
  clock: Clock;
  logger: Logger;
  /** How often to renew (ActiveMQ's `lockKeepAlivePeriod`); 0 = never (a lease then runs out and the lock is lost). */
  renewPeriodMs: number;
  /** Wait before retrying a keep-alive whose outcome was `unknown`. */
  retryIntervalMs?: number;
  /**
   * How much earlier than `safeHoldMs` the lock counts as lost: covers a late timer and clocks that
   * run at slightly different rates, so the old master reports itself deposed before another broker
   * can take the lock. Default: a tenth of `safeHoldMs`, at most 100 ms.
   */
  safetyMarginMs?: number;
  schedule?: ScheduleFn;
}

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(error: Error): void;
}

/** Promise.withResolvers arrives with Node 22; these machines run Node 20. */
function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // The caller of start() sees the rejection; keep an unobserved one from crashing the process.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

type KeeperState = 'idle' | 'confirming' | 'held' | 'lost' | 'stopped';

const LOST_PHRASE = 'no longer able to keep the exclusive lock so giving up being a master';

/**
 * Keeps an acquired lock and decides when it is lost (docs/design.md, Lock and fencing invariants 4: `unknown` is never `renewed`).
 * The local deadline lives on the monotonic clock: the start of the last confirmed keep-alive plus
 * the locker's `safeHoldMs`. Past it the lock is lost, even if no keep-alive said so, so a paused
 * process fences itself on waking before it touches anything.
 */
export class LockKeeper {
  private state: KeeperState = 'idle';
  private epoch = 0;
  private deadline: number | null = null;
  private expiresAt: number | null = null;
  private cancelDeadlineTimer: (() => void) | null = null;
  private readonly abort = new AbortController();
  private loopDone: Promise<void> = Promise.resolve();
  private confirmed: Deferred | null = null;
  private readonly listeners = new Set<(reason: string) => void>();
  private readonly schedule: ScheduleFn;
  private readonly retryIntervalMs: number;

  constructor(private readonly options: LockKeeperOptions) {
    this.schedule = options.schedule ?? realSchedule;
    const periodMs = options.renewPeriodMs;
    this.retryIntervalMs = options.retryIntervalMs ?? Math.max(10, Math.min(100, periodMs > 0 ? periodMs / 4 : 100));
  }

  /**
   * Confirms a fresh acquisition with one keep-alive (as ActiveMQ's lease locker verifies a new
   * lease), then renews every `renewPeriodMs`. Resolves once held; rejects with a
   * `LockError` if the lock is lost (or the keeper stopped) before it was confirmed. Idempotent.
   */
  async start(acquired: Acquired): Promise<void> {
    if (this.state === 'idle') {
      this.state = 'confirming';
      this.epoch = acquired.epoch;
      this.expiresAt = acquired.leaseExpiresAt;
      this.confirmed = deferred();
      // Until the first keep-alive confirms, this bound only says when to stop retrying it.
      this.setDeadline(this.options.clock.monotonic());
      this.loopDone = this.loop(this.abort.signal);
    }
    if (this.confirmed === null) throw new LockError('lock keeper was stopped before it started');
    await this.confirmed.promise;
    // One keeper per acquisition: a keeper that already lost or stopped cannot be started again.
    if (this.state !== 'held') throw new LockError(`lock keeper is ${this.state}`);
  }

  /** Stops keeping alive and waits for an in-flight keep-alive; does not release the lock. Idempotent. */
  async stop(): Promise<void> {
    if (this.state !== 'stopped') {
      const wasConfirming = this.state === 'confirming';
      this.state = 'stopped';
      this.clearDeadlineTimer();
      this.abort.abort();
      if (wasConfirming) this.confirmed?.reject(new LockError('lock keeper stopped before the lock was confirmed'));
    }
    await this.loopDone;
  }

  isHeld(): boolean {
    return this.state === 'held' && !this.checkDeadline();
  }

  /** Lease expiry in the database's time from the last confirmed renewal; null without a lease. */
  get leaseExpiresAt(): number | null {
    return this.expiresAt;
  }

  /** Called once when the lock is lost (never after `stop()`). Returns the unsubscribe function. */
  onLost(listener: (reason: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The fence for the store: valid while this keeper holds the lock of `epoch`. */
  fence(): Fence {
    const epoch = this.epoch;
    return {
      epoch,
      assertHeld: () => {
        if (this.state === 'held' && !this.checkDeadline()) return;
        throw new FencedError(`lock epoch ${epoch} is no longer held (${this.state})`);
      },
    };
  }

  private async loop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      // A paused process must notice the jump before it does anything else.
      if (this.checkDeadline()) return;
      const startedAt = this.options.clock.monotonic();
      let result: RenewResult;
      try {
        result = await this.options.locker.keepAlive();
      } catch (error) {
        result = { kind: 'unknown', error };
      }
      if (signal.aborted || this.state === 'lost') return;
      const waitMs = this.apply(result, startedAt);
      if (waitMs === null) return;
      await this.wait(waitMs, signal);
    }
  }

  /** Applies one keep-alive outcome; returns how long to wait before the next one, or null to end. */
  private apply(result: RenewResult, startedAt: number): number | null {
    switch (result.kind) {
      case 'renewed': {
        this.setDeadline(startedAt);
        if (this.checkDeadline()) return null;
        this.expiresAt = result.leaseExpiresAt;
        if (this.state === 'confirming') {
          this.state = 'held';
          this.confirmed?.resolve();
        }
        const periodMs = this.options.renewPeriodMs;
        return periodMs > 0 ? periodMs : null;
      }
      case 'lost':
        this.declareLost(`${result.reason}${result.holder === null ? '' : ` (holder ${result.holder})`}`);
        return null;
      case 'unknown':
        this.options.logger.log('warn', 'lock keep-alive failed, retrying until the local deadline', {
          lock: 'ACTIVEMQ_LOCK',
          holder: this.options.locker.holderId,
          epoch: this.epoch,
          error: String(result.error),
        });
        return this.retryIntervalMs;
    }
  }

  private wait(delayMs: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const cancel = this.schedule(delayMs, () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      });
      const onAbort = () => {
        cancel();
        resolve();
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private setDeadline(keepAliveStartedAt: number): void {
    this.clearDeadlineTimer();
    const safeHoldMs = this.options.locker.safeHoldMs;
    if (safeHoldMs === null) {
      this.deadline = null;
      return;
    }
    const marginMs = this.options.safetyMarginMs ?? Math.min(100, safeHoldMs / 10);
    this.deadline = keepAliveStartedAt + safeHoldMs - marginMs;
    const delayMs = Math.max(0, this.deadline - this.options.clock.monotonic());
    this.cancelDeadlineTimer = this.schedule(delayMs, () => {
      this.cancelDeadlineTimer = null;
      this.checkDeadline();
    });
  }

  /** True (and the lock declared lost) once the monotonic clock reached the deadline. */
  private checkDeadline(): boolean {
    if (this.state === 'lost') return true;
    if (this.deadline === null || this.options.clock.monotonic() < this.deadline) return false;
    this.declareLost(`local lease deadline passed without a confirmed renewal (safeHoldMs ${this.options.locker.safeHoldMs})`);
    return true;
  }

  private declareLost(reason: string): void {
    if (this.state !== 'held' && this.state !== 'confirming') return;
    const wasConfirming = this.state === 'confirming';
    this.state = 'lost';
    this.clearDeadlineTimer();
    this.abort.abort();
    this.options.logger.log('error', LOST_PHRASE, {
      lock: 'ACTIVEMQ_LOCK',
      holder: this.options.locker.holderId,
      epoch: this.epoch,
      reason,
    });
    if (wasConfirming) this.confirmed?.reject(new LockError(`lock lost before it was confirmed: ${reason}`));
    for (const listener of [...this.listeners]) listener(reason);
  }

  private clearDeadlineTimer(): void {
    this.cancelDeadlineTimer?.();
    this.cancelDeadlineTimer = null;
  }
}
