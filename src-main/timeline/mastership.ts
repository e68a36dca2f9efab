import type { DualMasterInterval, Interval, LabEvent } from '../api/contract/index.js';
import { mergeIntervals } from './intervals.js';

/** One broker acting as master (or accepting connections) from `from` to `to`. */
export interface Claim extends Interval {
  broker: string;
}

/** A port probe: did this broker's connector accept a connection at `ts`. */
export interface PortProbe {
  broker: string;
  ts: number;
  accepting: boolean;
}

/** Claims of mastership per broker: from its `master` state to its next state (a pause ends one). */
export function masterClaims(events: readonly LabEvent[], endTs: number): Claim[] {
  const claims: Claim[] = [];
  const open = new Map<string, number>();
  for (const e of byTime(events)) {
    if (e.type !== 'broker-state') continue;
    const from = open.get(e.broker);
    if (from !== undefined && e.role !== 'master') {
      claims.push({ broker: e.broker, from, to: e.ts });
      open.delete(e.broker);
    }
    if (from === undefined && e.role === 'master') open.set(e.broker, e.ts);
  }
  for (const [broker, from] of open) claims.push({ broker, from, to: endTs });
  return claims;
}

/** When each broker's port accepted connections, from probes in any order. */
export function acceptingClaims(probes: readonly PortProbe[], endTs: number): Claim[] {
  const claims: Claim[] = [];
  const since = new Map<string, number>();
  for (const p of [...probes].sort((a, b) => a.ts - b.ts)) {
    const from = since.get(p.broker);
    if (p.accepting && from === undefined) since.set(p.broker, p.ts);
    if (!p.accepting && from !== undefined) {
      claims.push({ broker: p.broker, from, to: p.ts });
      since.delete(p.broker);
    }
  }
  for (const [broker, from] of since) claims.push({ broker, from, to: endTs });
  return claims;
}

/** The intervals in which two or more brokers' claims overlap, naming every broker involved. */
export function overlaps(list: readonly Claim[]): DualMasterInterval[] {
  const out: DualMasterInterval[] = [];
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) {
      const a = list[i]!;
      const b = list[j]!;
      const from = Math.max(a.from, b.from);
      const to = Math.min(a.to, b.to);
      if (a.broker !== b.broker && from < to) out.push({ from, to, brokers: [a.broker, b.broker].sort() });
    }
  }
  return mergeIntervals(out).map((m) => ({ ...m, brokers: [...new Set(out.filter((o) => o.from < m.to && m.from < o.to).flatMap((o) => o.brokers))].sort() }));
}

/** Dual master from the brokers' own states: overlapping `master` claims. */
export function dualMasterFromEvents(events: readonly LabEvent[], endTs: number): DualMasterInterval[] {
  return overlaps(masterClaims(events, endTs));
}

/** The brokers claiming master together after the last event (sorted); empty unless two or more do. */
export function currentDualMaster(events: readonly LabEvent[]): string[] {
  const open = masterClaims(events, Infinity).filter((c) => c.to === Infinity).map((c) => c.broker);
  return open.length > 1 ? open.sort() : [];
}

/** Events in time order (stable: equal times keep their log order). */
export function byTime(events: readonly LabEvent[]): LabEvent[] {
  return [...events].sort((a, b) => a.ts - b.ts);
}
