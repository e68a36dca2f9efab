/**
 * What this adapter knows of `ACTIVEMQ_PRODUCER_AUDIT`, so a group commit decides duplicates in JS
 * and needs no read in its transaction. Sound because only the fenced master writes the table: the
 * cache is dropped whenever the fence changes, filled lazily (a producer first seen is read from the
 * table once), and an entry a failed commit may or may not have written is forgotten, not guessed.
 * Lazy rather than loaded whole: the table keeps every producer id ever seen.
 */
export class ProducerAuditCache {
  /** Last stored sequence per producer; null = the table has no row for it. In LRU order. */
  private lastSeq = new Map<string, number | null>();
  private generation = 0;

  constructor(private readonly capacity: number) {}

  /** Forgets everything, and makes every write of an older generation a no-op. */
  clear(): void {
    this.lastSeq = new Map();
    this.generation++;
  }

  /** Captured when a group starts; pass it back to `remember`. */
  current(): number {
    return this.generation;
  }

  /** Undefined when unknown (read the table); null when the table has no row for it. */
  get(producerId: string): number | null | undefined {
    return this.lastSeq.get(producerId);
  }

  /** Records what the table holds (read, or just committed); ignored from a cleared generation. */
  remember(generation: number, entries: Iterable<readonly [string, number | null]>): void {
    if (generation !== this.generation) return;
    for (const [producerId, seq] of entries) {
      this.lastSeq.delete(producerId);
      this.lastSeq.set(producerId, seq);
    }
    for (const oldest of this.lastSeq.keys()) {
      if (this.lastSeq.size <= this.capacity) break;
      this.lastSeq.delete(oldest);
    }
  }

  forget(producerIds: Iterable<string>): void {
    for (const id of producerIds) this.lastSeq.delete(id);
  }
}
