import { describe, expect, it } from 'vitest';
import type { LabEvent } from '../../../src-main/api/contract/index.js';
import { buildRunProgress } from './run-progress.js';

let seq = 0;
const tick = (ts: number, receipted: number, delivered: number, faults = 0, phase: 'running' | 'draining' = 'running'): LabEvent => ({
  seq: ++seq,
  ts,
  type: 'scenario',
  runId: 7,
  name: 'x',
  state: 'running',
  progress: { phase, elapsedMs: ts, total: 100, sent: receipted, receipted, delivered, faults },
});

describe('the run progress model', () => {
  it('turns progress counters into send and receive rates per second', () => {
    const m = buildRunProgress([tick(0, 0, 0), tick(250, 50, 25), tick(500, 100, 100, 0, 'draining')], 7)!;
    expect(m.points).toEqual([{ ts: 250, sendRate: 200, receiveRate: 100 }, { ts: 500, sendRate: 200, receiveRate: 300 }]);
  });

  it('marks a stall from the last receipt when none came for half a second while sending, and the fault that preceded it', () => {
    const m = buildRunProgress([tick(0, 10, 10), tick(250, 20, 20, 1), tick(500, 20, 20, 1), tick(750, 20, 20, 1), tick(1000, 30, 30, 1)], 7)!;
    expect(m.stalls).toEqual([{ from: 250, to: 1000 }]);
    expect(m.faults).toEqual([250]);
  });

  it('takes the outages of its own run from the report, and ignores other runs', () => {
    const outage = (runId: number): LabEvent => ({ seq: ++seq, ts: 2000, type: 'client-outage', runId, from: 300, to: 900, durationMs: 600, source: 'report' });
    const m = buildRunProgress([tick(0, 0, 0), tick(250, 1, 1), outage(7), outage(8)], 7)!;
    expect(m.outages).toEqual([{ from: 300, to: 900, durationMs: 600 }]);
    expect(buildRunProgress([outage(7)], 7)).toBeNull();
  });
});
