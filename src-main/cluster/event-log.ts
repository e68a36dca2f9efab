import type { LabEvent, LabEventInput } from '../api/contract/index.js';

export type EventListener = (event: LabEvent) => void;

/**
 * The lab host's event log: stamps each event with `seq` and `ts`, keeps the last `capacity` for
 * late subscribers (a renderer that connects after the fact), and fans them out to listeners.
 */
export class EventLog {
  private readonly events: LabEvent[] = [];
  private readonly listeners = new Set<EventListener>();
  private seq = 0;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly capacity = 5000,
  ) {}

  emit(input: LabEventInput): LabEvent {
    const event = { ...input, seq: ++this.seq, ts: input.ts ?? this.now() } as LabEvent;
    this.events.push(event);
    if (this.events.length > this.capacity) this.events.splice(0, this.events.length - this.capacity);
    for (const listener of this.listeners) listener(event);
    return event;
  }

  /** Events with `seq` above `afterSeq`, oldest first. */
  since(afterSeq = 0): LabEvent[] {
    return this.events.filter((e) => e.seq > afterSeq);
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
