/**
 * Time is injected (docs/design.md, Conventions). `now()` is wall-clock epoch ms and may carry an offset (the lab's
 * clock-skew fault); `monotonic()` never jumps and is what lease deadlines are measured on, so a
 * paused process notices the jump before it touches anything.
 */
export interface Clock {
  now(): number;
  monotonic(): number;
}

export function createSystemClock(offsetMs = 0): Clock {
  return {
    now: () => Date.now() + offsetMs,
    monotonic: () => performance.now(),
  };
}

/** The system clock with an offset the lab can change while the broker runs (clock-skew fault). */
export interface AdjustableClock extends Clock {
  readonly offsetMs: number;
  setOffset(offsetMs: number): void;
}

export function createAdjustableClock(initialOffsetMs = 0): AdjustableClock {
  let offset = initialOffsetMs;
  return {
    now: () => Date.now() + offset,
    monotonic: () => performance.now(),
    get offsetMs() {
      return offset;
    },
    setOffset(offsetMs: number) {
      offset = offsetMs;
    },
  };
}

/** A clock for unit tests: moves only when told to. */
export interface ManualClock extends Clock {
  advance(ms: number): void;
}

export function createManualClock(startMs = 1_700_000_000_000): ManualClock {
  let wall = startMs;
  let mono = 0;
  return {
    now: () => wall,
    monotonic: () => mono,
    advance(ms: number) {
      wall += ms;
      mono += ms;
    },
  };
}

/** Resolves after `ms`, or rejects with the signal's reason when aborted first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
