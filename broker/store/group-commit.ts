/**
 * Group commit: items submitted while the store is idle are collected until the event loop turns
 * (setImmediate), items submitted while a group is in flight wait for it; each group runs as ONE
 * database transaction and every caller's promise settles after that transaction.
 */

export interface GroupCommitOptions<I, R> {
  /** Runs the items in one transaction; one result per item, in order. Throws to fail the group. */
  run: (items: readonly I[]) => Promise<R[]>;
  /**
   * Whether a group failure may be caused by one item (a constraint, a value too big), so that
   * running the items one by one keeps the others alive. A fence or connection failure is not.
   */
  canIsolate: (error: unknown) => boolean;
  /** Caps one transaction, so one group cannot hold the write lock (or the event loop) for long. */
  maxGroupSize: number;
  /** Caps the summed `sizeOf` of one group (a group always takes at least one item). */
  maxGroupBytes?: number;
  sizeOf?: (item: I) => number;
}

interface Pending<I, R> {
  item: I;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export class GroupCommitter<I, R> {
  private queue: Array<Pending<I, R>> = [];
  private scheduled = false;
  private running: Promise<void> | null = null;

  constructor(private readonly options: GroupCommitOptions<I, R>) {}

  submit(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.running = this.flush().finally(() => {
        this.running = null;
        // Callers resolved by the last group may have submitted before this ran.
        if (this.queue.length > 0) this.schedule();
      });
    });
  }

  /** Resolves once every item submitted so far has settled. */
  async drain(): Promise<void> {
    while (this.scheduled || this.running) {
      await (this.running ?? new Promise<void>((resolve) => setImmediate(resolve)));
    }
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      await this.runGroup(this.queue.splice(0, this.nextGroupLength()));
    }
  }

  private nextGroupLength(): number {
    const { maxGroupSize, maxGroupBytes, sizeOf } = this.options;
    const limit = Math.min(maxGroupSize, this.queue.length);
    if (maxGroupBytes === undefined || sizeOf === undefined) return limit;
    let bytes = 0;
    for (let n = 0; n < limit; n++) {
      bytes += sizeOf((this.queue[n] as Pending<I, R>).item);
      if (bytes > maxGroupBytes) return Math.max(1, n);
    }
    return limit;
  }

  private async runGroup(group: Array<Pending<I, R>>): Promise<void> {
    try {
      const results = await this.options.run(group.map((p) => p.item));
      group.forEach((p, i) => p.resolve(results[i] as R));
    } catch (error) {
      if (group.length === 1 || !this.options.canIsolate(error)) {
        for (const p of group) p.reject(error);
        return;
      }
      for (const p of group) {
        try {
          const [result] = await this.options.run([p.item]);
          p.resolve(result as R);
        } catch (single) {
          p.reject(single);
        }
      }
    }
  }
}
