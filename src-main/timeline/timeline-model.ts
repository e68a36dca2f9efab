import type { LabEvent, RoleSegment, TimelineModel } from '../api/contract/index.js';
import { lockChanges } from './lock.js';
import { byTime, dualMasterFromEvents } from './mastership.js';

/** The events of the current cluster: everything after the last `cluster created`. */
export function currentClusterEvents(events: readonly LabEvent[]): LabEvent[] {
  let start = 0;
  events.forEach((e, i) => {
    if (e.type === 'cluster' && e.state === 'created') start = i;
  });
  return events.slice(start);
}

/**
 * Who was what, when, for the Timeline view: role segments per broker, lock holder changes, faults,
 * dual-master intervals (the same computation the Checker uses) and the client outages scenario runs
 * reported. Open segments end at `now`.
 */
export function buildTimeline(allEvents: readonly LabEvent[], now: number): TimelineModel {
  const events = byTime(currentClusterEvents(allEvents));
  const lanes = new Map<string, RoleSegment[]>();
  const faults: TimelineModel['faults'] = [];
  const outages: TimelineModel['outages'] = [];
  for (const e of events) {
    if (e.type === 'broker-state') {
      const segments = lanes.get(e.broker) ?? [];
      const last = segments.at(-1);
      if (last && last.to === Infinity) last.to = e.ts;
      segments.push({ from: e.ts, to: Infinity, role: e.role });
      lanes.set(e.broker, segments);
    } else if (e.type === 'fault') {
      faults.push({ ts: e.ts, fault: e.fault, phase: e.phase, broker: e.broker, detail: e.detail });
    } else if (e.type === 'client-outage') {
      outages.push({ from: e.from, to: e.to, durationMs: e.durationMs, runId: e.runId });
    }
  }
  const closed = [...lanes].map(([broker, segments]) => ({ broker, segments: segments.map((s) => ({ ...s, to: s.to === Infinity ? now : s.to })) }));
  closed.sort((a, b) => a.broker.localeCompare(b.broker, undefined, { numeric: true }));
  return {
    start: events[0]?.ts ?? now,
    end: now,
    lanes: closed,
    holders: lockChanges(events),
    faults,
    dualMaster: dualMasterFromEvents(events, now),
    outages,
  };
}
