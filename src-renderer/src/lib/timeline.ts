import type { LabEvent, LabRole } from '../../../src-main/api/contract/index.js';

export interface Segment {
  from: number;
  to: number;
  role: LabRole;
}

export interface TimelineModel {
  start: number;
  end: number;
  lanes: Array<{ broker: string; segments: Segment[] }>;
  /** Lock holder changes as the lab read them (`lock` events). */
  holders: Array<{ ts: number; holder: string | null; epoch: number }>;
  faults: Array<{ ts: number; fault: string; phase: string; broker: string | null; detail: string }>;
  /** Intervals in which two or more brokers reported `master`. */
  dualMaster: Array<{ from: number; to: number; brokers: string[] }>;
  /** Client-observed outages of scenario runs (no successful operation for longer than the threshold). */
  outages: Array<{ from: number; to: number; durationMs: number; runId: number }>;
}

/** Who was what, when: role segments per broker, lock holder changes, faults and dual-master intervals. */
export function buildTimeline(events: readonly LabEvent[], now: number): TimelineModel {
  const lanes = new Map<string, Segment[]>();
  const holders: TimelineModel['holders'] = [];
  const faults: TimelineModel['faults'] = [];
  const dualMaster: TimelineModel['dualMaster'] = [];
  const outages: TimelineModel['outages'] = [];
  const masters = new Set<string>();
  let dualSince: number | null = null;
  let dualBrokers = new Set<string>();
  let start = events[0]?.ts ?? now;
  for (const e of events) {
    if (e.type === 'cluster' && e.state === 'created') {
      lanes.clear();
      holders.length = 0;
      faults.length = 0;
      dualMaster.length = 0;
      outages.length = 0;
      masters.clear();
      dualSince = null;
      start = e.ts;
    }
    if (e.type === 'broker-state') {
      const segments = lanes.get(e.broker) ?? [];
      const last = segments.at(-1);
      if (last && last.to === Infinity) last.to = e.ts;
      segments.push({ from: e.ts, to: Infinity, role: e.role });
      lanes.set(e.broker, segments);
      if (e.role === 'master') masters.add(e.broker);
      else masters.delete(e.broker);
      if (masters.size > 1 && dualSince === null) dualSince = e.ts;
      if (masters.size > 1) dualBrokers = new Set([...dualBrokers, ...masters]);
      if (masters.size <= 1 && dualSince !== null) {
        dualMaster.push({ from: dualSince, to: e.ts, brokers: [...dualBrokers] });
        dualSince = null;
        dualBrokers = new Set();
      }
    } else if (e.type === 'lock') {
      const prev = holders.at(-1);
      if (!prev || prev.holder !== e.lock.holder || prev.epoch !== e.lock.epoch) holders.push({ ts: e.ts, holder: e.lock.holder, epoch: e.lock.epoch });
    } else if (e.type === 'fault') {
      faults.push({ ts: e.ts, fault: e.fault, phase: e.phase, broker: e.broker, detail: e.detail });
    } else if (e.type === 'client-outage') {
      outages.push({ from: e.from, to: e.to, durationMs: e.durationMs, runId: e.runId });
    }
  }
  if (dualSince !== null) dualMaster.push({ from: dualSince, to: now, brokers: [...dualBrokers] });
  const closed = [...lanes].map(([broker, segments]) => ({ broker, segments: segments.map((s) => ({ ...s, to: s.to === Infinity ? now : s.to })) }));
  closed.sort((a, b) => a.broker.localeCompare(b.broker, undefined, { numeric: true }));
  return { start, end: now, lanes: closed, holders, faults, dualMaster, outages };
}
