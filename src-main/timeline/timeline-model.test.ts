import { describe, expect, it } from 'vitest';
import type { LabEvent, LabRole } from '../api/contract/index.js';
import { buildTimeline } from './timeline-model.js';

let seq = 0;
function stateEvent(broker: string, role: LabRole, pid: number | null = 100, ts = 1000): LabEvent {
  return { seq: ++seq, ts, type: 'broker-state', broker, role, pid, connectors: [], lock: null };
}
function lockEvent(ts: number, holder: string | null, epoch: number): LabEvent {
  return { seq: ++seq, ts, type: 'lock', source: 'store', lock: { holder, epoch, leaseExpiresAt: null } };
}

describe('the timeline model', () => {
  it('cuts role segments per broker at each state change and closes the last one at now', () => {
    const m = buildTimeline([stateEvent('broker1', 'slave', 1, 100), stateEvent('broker1', 'master', 1, 200)], 500);
    expect(m.lanes).toEqual([{ broker: 'broker1', segments: [{ from: 100, to: 200, role: 'slave' }, { from: 200, to: 500, role: 'master' }] }]);
  });

  it('reports the interval in which two brokers were master, naming both', () => {
    const m = buildTimeline(
      [stateEvent('broker1', 'master', 1, 100), stateEvent('broker2', 'master', 2, 300), stateEvent('broker1', 'stopped', null, 450)],
      1000,
    );
    expect(m.dualMaster).toEqual([{ from: 300, to: 450, brokers: ['broker1', 'broker2'] }]);
  });

  it('keeps the client outages a run reported, and forgets them when a new cluster is created', () => {
    const outage = (seq: number, from: number, to: number) => ({ seq, ts: 900, type: 'client-outage' as const, runId: 1, from, to, durationMs: to - from, source: 'report' as const });
    const m = buildTimeline([stateEvent('broker1', 'master', 1, 100), outage(50, 300, 700)], 1000);
    expect(m.outages).toEqual([{ from: 300, to: 700, durationMs: 400, runId: 1 }]);
    const after = buildTimeline([outage(50, 300, 700), { seq: 51, ts: 950, type: 'cluster', state: 'created', detail: '' }], 1000);
    expect(after.outages).toEqual([]);
  });

  it('lists each change of lock holder or epoch once', () => {
    const m = buildTimeline([lockEvent(100, 'broker1', 1), lockEvent(200, 'broker1', 1), lockEvent(300, 'broker1', 2), lockEvent(400, null, 2)], 500);
    expect(m.holders).toEqual([
      { ts: 100, holder: 'broker1', epoch: 1 },
      { ts: 300, holder: 'broker1', epoch: 2 },
      { ts: 400, holder: null, epoch: 2 },
    ]);
  });
});
