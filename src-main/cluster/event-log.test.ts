import { describe, expect, it } from 'vitest';
import { EventLog } from './event-log.js';

describe('EventLog', () => {
  it('stamps events with increasing seq and the clock, and replays them to late readers', () => {
    let now = 100;
    const log = new EventLog(() => now++);
    log.emit({ type: 'cluster', state: 'created', detail: 'x' });
    log.emit({ type: 'log', broker: null, level: 'info', msg: 'm', fields: {}, ts: 5 });
    expect(log.since(0).map((e) => [e.seq, e.ts])).toEqual([[1, 100], [2, 5]]);
    expect(log.since(1).map((e) => e.seq)).toEqual([2]);
  });

  it('keeps only the newest events up to its capacity and stops calling an unsubscribed listener', () => {
    const log = new EventLog(() => 0, 2);
    const seen: number[] = [];
    const unsubscribe = log.subscribe((e) => seen.push(e.seq));
    for (let i = 0; i < 3; i++) log.emit({ type: 'cluster', state: 'started', detail: '' });
    unsubscribe();
    log.emit({ type: 'cluster', state: 'stopped', detail: '' });
    expect(seen).toEqual([1, 2, 3]);
    expect(log.since(0).map((e) => e.seq)).toEqual([3, 4]);
  });
});
