import type { Interval } from '../api/contract/index.js';

/** Total length of the union of the intervals. */
export function intervalMs(intervals: readonly Interval[]): number {
  return mergeIntervals(intervals).reduce((n, i) => n + (i.to - i.from), 0);
}

/** Overlapping or touching intervals joined, in order; empty ones dropped. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].filter((i) => i.to > i.from).sort((a, b) => a.from - b.from);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out.at(-1);
    if (last && i.from <= last.to) last.to = Math.max(last.to, i.to);
    else out.push({ ...i });
  }
  return out;
}
