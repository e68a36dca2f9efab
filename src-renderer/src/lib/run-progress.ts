import type { LabEvent } from '../../../src-main/api/contract/index.js';

export interface RatePoint {
  ts: number;
  /** Receipted sends per second since the previous sample. */
  sendRate: number;
  /** Deliveries per second since the previous sample. */
  receiveRate: number;
}

export interface RunProgressModel {
  start: number;
  end: number;
  points: RatePoint[];
  /** While sending: samples in a row without a new receipt (what the progress counters can show live). */
  stalls: Array<{ from: number; to: number }>;
  /** Client outages from the run's report (the Checker's, exact), once it is in. */
  outages: Array<{ from: number; to: number; durationMs: number }>;
  /** When the runner's fault count went up. */
  faults: number[];
}

/** Below this, a gap between receipts is the normal rhythm of the workload, not a stall. */
export const STALL_MS = 500;

/** Send/receive rates, stalls, outages and faults of one run, from its `scenario` and `client-outage` events. */
export function buildRunProgress(events: readonly LabEvent[], runId: number): RunProgressModel | null {
  const samples = events.filter((e): e is Extract<LabEvent, { type: 'scenario' }> => e.type === 'scenario' && e.runId === runId && e.progress !== null);
  if (samples.length === 0) return null;
  const points: RatePoint[] = [];
  const stalls: RunProgressModel['stalls'] = [];
  const faults: number[] = [];
  let stallFrom: number | null = null;
  let lastReceiptAt = samples[0]!.ts;
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1]!;
    const b = samples[i]!;
    const pa = a.progress!;
    const pb = b.progress!;
    const dt = Math.max(b.ts - a.ts, 1) / 1000;
    points.push({ ts: b.ts, sendRate: (pb.receipted - pa.receipted) / dt, receiveRate: (pb.delivered - pa.delivered) / dt });
    if (pb.faults > pa.faults) faults.push(b.ts);
    if (pb.receipted > pa.receipted) {
      if (stallFrom !== null) stalls.push({ from: stallFrom, to: b.ts });
      stallFrom = null;
      lastReceiptAt = b.ts;
    } else if (pb.phase === 'running' && stallFrom === null && b.ts - lastReceiptAt >= STALL_MS) {
      stallFrom = lastReceiptAt;
    }
  }
  const end = samples.at(-1)!.ts;
  if (stallFrom !== null) stalls.push({ from: stallFrom, to: end });
  const outages = events.flatMap((e) => (e.type === 'client-outage' && e.runId === runId ? [{ from: e.from, to: e.to, durationMs: e.durationMs }] : []));
  return { start: samples[0]!.ts, end, points, stalls, outages, faults };
}
