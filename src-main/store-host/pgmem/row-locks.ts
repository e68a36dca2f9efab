/**
 * EMULATED row locks across sessions (pg-mem has none): what `SELECT ... FOR UPDATE / FOR SHARE`
 * and writes take in PostgreSQL, held by a session until its transaction ends or its socket
 * closes. Shared locks coexist; an exclusive one excludes every other session. A conflicting
 * request waits in FIFO order; NOWAIT and `lock_timeout` fail it with SQLSTATE 55P03,
 * `statement_timeout` with 57014. Keys are `table#column=value`, or `table#*` for a whole table.
 */

export type LockMode = 'share' | 'exclusive';

export class LockWaitError extends Error {
  constructor(
    readonly code: '55P03' | '57014' | '57P01',
    message: string,
  ) {
    super(message);
  }
}

interface Waiter {
  owner: number;
  keys: string[];
  mode: LockMode;
  take: boolean;
  resolve: () => void;
  reject: (error: LockWaitError) => void;
  timer: NodeJS.Timeout | null;
}

export interface WaitOptions {
  nowait: boolean;
  lockTimeoutMs: number;
  statementTimeoutMs: number;
}

export function lockKey(table: string, row: { column: string; value: string } | null): string {
  return `${table}#${row === null ? '*' : `${row.column}=${row.value}`}`;
}

const tableOf = (key: string) => key.slice(0, key.lastIndexOf('#'));

export class RowLocks {
  /** key → the sessions holding it and how. */
  private readonly holders = new Map<string, Map<number, LockMode>>();
  private readonly heldBy = new Map<number, Set<string>>();
  private readonly waiters: Waiter[] = [];

  /** True when another session holds, in a conflicting mode, a key that overlaps `key`. */
  private blocked(owner: number, key: string, mode: LockMode): boolean {
    const table = tableOf(key);
    const whole = key.endsWith('#*');
    for (const [held, by] of this.holders) {
      if (held !== key && (tableOf(held) !== table || !(whole || held.endsWith('#*')))) continue;
      for (const [other, otherMode] of by) {
        if (other !== owner && (mode === 'exclusive' || otherMode === 'exclusive')) return true;
      }
    }
    return false;
  }

  /**
   * Resolves once no other session holds any of `keys`; with `take` the keys are then held by
   * `owner` (granted before waking, so two waiters for one row never both get it).
   */
  acquire(owner: number, keys: string[], mode: LockMode, take: boolean, options: WaitOptions): Promise<void> {
    if (!keys.some((k) => this.blocked(owner, k, mode))) {
      if (take) this.hold(owner, keys, mode);
      return Promise.resolve();
    }
    if (options.nowait) return Promise.reject(new LockWaitError('55P03', 'could not obtain lock on row in relation'));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { owner, keys, mode, take, resolve, reject, timer: null };
      const limits = [
        { ms: options.lockTimeoutMs, error: new LockWaitError('55P03', 'canceling statement due to lock timeout') },
        { ms: options.statementTimeoutMs, error: new LockWaitError('57014', 'canceling statement due to statement timeout') },
      ].filter((l) => l.ms > 0);
      const first = limits.sort((a, b) => a.ms - b.ms)[0];
      if (first) waiter.timer = setTimeout(() => this.dropWaiter(waiter, first.error), first.ms);
      this.waiters.push(waiter);
    });
  }

  private hold(owner: number, keys: string[], mode: LockMode): void {
    let mine = this.heldBy.get(owner);
    if (!mine) this.heldBy.set(owner, (mine = new Set()));
    for (const key of keys) {
      let by = this.holders.get(key);
      if (!by) this.holders.set(key, (by = new Map()));
      if (by.get(owner) !== 'exclusive') by.set(owner, mode);
      mine.add(key);
    }
  }

  /** Ends `owner`'s transaction: its locks go, and waiters that can now run are woken in order. */
  releaseAll(owner: number): void {
    const mine = this.heldBy.get(owner);
    this.heldBy.delete(owner);
    for (const key of mine ?? []) {
      const by = this.holders.get(key);
      by?.delete(owner);
      if (by?.size === 0) this.holders.delete(key);
    }
    this.wake();
  }

  /** A closed session stops waiting too. */
  abandon(owner: number): void {
    for (const waiter of this.waiters.filter((w) => w.owner === owner)) {
      this.dropWaiter(waiter, new LockWaitError('57P01', 'terminating connection'));
    }
    this.releaseAll(owner);
  }

  private dropWaiter(waiter: Waiter, error: LockWaitError): void {
    const index = this.waiters.indexOf(waiter);
    if (index < 0) return;
    this.waiters.splice(index, 1);
    if (waiter.timer) clearTimeout(waiter.timer);
    waiter.reject(error);
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) {
      if (waiter.keys.some((k) => this.blocked(waiter.owner, k, waiter.mode))) continue;
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      if (waiter.timer) clearTimeout(waiter.timer);
      if (waiter.take) this.hold(waiter.owner, waiter.keys, waiter.mode);
      waiter.resolve();
    }
  }
}
