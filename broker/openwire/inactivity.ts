import type { Clock } from '../util/clock.js';

/**
 * ActiveMQ's InactivityMonitor, broker side: after the initial delay, a KeepAliveInfo goes out
 * whenever nothing was written for a third of the negotiated period, and a client silent for a
 * whole period is dropped. A period of 0 (either side asked for it) switches both off.
 */
export class InactivityMonitor {
  private lastRead: number;
  private lastWrite: number;
  private timer: NodeJS.Timeout | null = null;
  private delay: NodeJS.Timeout | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly actions: { keepAlive: () => void; inactive: (ms: number) => void },
  ) {
    this.lastRead = this.lastWrite = clock.monotonic();
  }

  read(): void {
    this.lastRead = this.clock.monotonic();
  }

  wrote(): void {
    this.lastWrite = this.clock.monotonic();
  }

  start(periodMs: number, initialDelayMs: number): void {
    this.stop();
    if (periodMs <= 0) return;
    const tick = Math.max(1, Math.floor(periodMs / 3));
    this.delay = setTimeout(() => {
      this.delay = null;
      this.lastRead = this.clock.monotonic();
      this.timer = setInterval(() => {
        const now = this.clock.monotonic();
        if (now - this.lastRead > periodMs) {
          this.stop();
          this.actions.inactive(periodMs);
          return;
        }
        if (now - this.lastWrite >= tick) this.actions.keepAlive();
      }, tick);
      this.timer.unref();
    }, initialDelayMs);
    this.delay.unref();
  }

  stop(): void {
    if (this.delay !== null) clearTimeout(this.delay);
    if (this.timer !== null) clearInterval(this.timer);
    this.delay = this.timer = null;
  }
}
