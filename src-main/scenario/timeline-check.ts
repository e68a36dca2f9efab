import type { DualMaster, FailoverTimeline, FaultKind, LabEvent, LockSegment, MasterChange, Outage, RateBucket } from '../api/contract/index.js';
import { acceptingClaims, dualMasterFromEvents, intervalMs, lockSegments as lockSegmentsOf, overlaps } from '../timeline/index.js';
import type { History, Interval } from './history.js';

export type { DualMaster, FailoverTimeline, LockSegment, MasterChange, Outage, RateBucket };

/** Faults that can take a master away; a failover timeline is made for each one aimed at the master. */
const MASTER_FAULTS: ReadonlySet<FaultKind> = new Set(['kill', 'terminate', 'pause', 'restart', 'cut-link', 'db-restart', 'db-failure', 'clock-offset']);

type BrokerState = Extract<LabEvent, { type: 'broker-state' }>;

function labEvents(history: History): LabEvent[] {
  return history.entries.flatMap((e) => (e.type === 'lab' ? [e.event] : [])).sort((a, b) => a.ts - b.ts);
}

function successTimes(history: History): number[] {
  return history.entries
    .flatMap((e) => (e.type === 'send' && e.outcome === 'ok' && e.completeTs !== null ? [e.completeTs] : e.type === 'deliver' ? [e.ts] : []))
    .sort((a, b) => a - b);
}

function receiptTimes(history: History): number[] {
  return history.entries.flatMap((e) => (e.type === 'send' && e.outcome === 'ok' && e.completeTs !== null ? [e.completeTs] : [])).sort((a, b) => a - b);
}

/** Windows longer than `thresholdMs` without any successful operation, between the first and last operation. */
export function findOutages(history: History, thresholdMs: number): Outage[] {
  const times = successTimes(history);
  const out: Outage[] = [];
  for (let i = 1; i < times.length; i++) {
    const gap = times[i]! - times[i - 1]!;
    if (gap > thresholdMs) out.push({ from: times[i - 1]!, to: times[i]!, durationMs: gap });
  }
  return out;
}

/** The master at `ts` according to the brokers' state events; a pause does not change who holds the lock. */
function masterAt(events: readonly LabEvent[], ts: number): string | null {
  const roles = new Map<string, string>();
  for (const e of events) {
    if (e.ts > ts) break;
    if (e.type === 'broker-state' && e.role !== 'paused') roles.set(e.broker, e.role);
  }
  return [...roles].find(([, role]) => role === 'master')?.[0] ?? null;
}

/**
 * One timeline per failover. A fault opens one when it hits the master; its window runs to the next
 * fault that hits a master (a fault on a slave meanwhile does not split a takeover in two). A fault
 * after which nothing changed (a link cut that healed in time, or a burst of faults on one master
 * before it gave up) is no failover: the takeover is named once, after the last fault before it.
 */
export function failoverTimelines(history: History): FailoverTimeline[] {
  const events = labEvents(history);
  const receipts = receiptTimes(history);
  const faults = events.filter((e): e is Extract<LabEvent, { type: 'fault' }> => e.type === 'fault' && e.phase === 'injected' && MASTER_FAULTS.has(e.fault));
  // A clock offset on a slave aims at the master too: the slave takes a lease it thinks expired.
  const aimed = faults
    .map((f) => ({ f, oldMaster: masterAt(events, f.ts) }))
    .filter(({ f, oldMaster }) => f.broker === null || f.broker === oldMaster || f.fault === 'clock-offset');
  const out: FailoverTimeline[] = [];
  aimed.forEach(({ f, oldMaster }, index) => {
    const nextFaultTs = aimed[index + 1]?.f.ts ?? Infinity;
    const after = events.filter((e) => e.ts >= f.ts && e.ts < nextFaultTs);
    const gone = after.find((e): e is BrokerState => e.type === 'broker-state' && e.broker === oldMaster && e.role !== 'master' && e.role !== 'paused');
    // The next master is another broker, or the old one itself once it had given up (a database
    // restart ends every session: the supervisor restarts the old master and it may win again).
    const isNext = (broker: string, ts: number) => broker !== oldMaster || (gone !== undefined && ts > gone.ts);
    const lock = after.find((e) => e.type === 'lock' && e.lock.holder !== null && isNext(e.lock.holder, e.ts));
    const opened = after.find((e): e is BrokerState => e.type === 'broker-state' && e.role === 'master' && isNext(e.broker, e.ts));
    if (!gone && !lock && !opened) return;
    // A clock offset on a slave is a failover only if the slave took the lock (a database clock ignores it).
    if (f.broker !== oldMaster && f.broker !== null && !lock && !opened) return;
    const gap = largestGap(receipts, f.ts, nextFaultTs);
    out.push({
      fault: f.fault,
      broker: f.broker,
      faultTs: f.ts,
      oldMaster,
      oldMasterGoneMs: gone ? gone.ts - f.ts : null,
      newMaster: opened?.broker ?? (lock?.type === 'lock' ? lock.lock.holder : null),
      newMasterLockMs: lock ? lock.ts - f.ts : null,
      connectorsOpenMs: opened ? opened.ts - f.ts : null,
      firstClientSuccessMs: gap ? gap.to - f.ts : null,
      clientGapMs: gap ? gap.to - gap.from : null,
    });
  });
  return out;
}

/** The largest gap between consecutive receipts that ends after `fromTs` and starts before `untilTs`. */
function largestGap(receipts: readonly number[], fromTs: number, untilTs: number): Interval | null {
  let best: Interval | null = null;
  for (let i = 1; i < receipts.length; i++) {
    const a = receipts[i - 1]!;
    const b = receipts[i]!;
    if (b <= fromTs || a >= untilTs) continue;
    if (!best || b - a > best.to - best.from) best = { from: a, to: b };
  }
  return best;
}

/** Dual master twice over: the brokers' own `master` states, and ports that accepted at once. */
export function dualMaster(history: History): DualMaster {
  const probes = history.entries.flatMap((e) => (e.type === 'port' ? [e] : []));
  const fromEvents = dualMasterFromEvents(labEvents(history), history.endTs);
  const fromPorts = overlaps(acceptingClaims(probes, history.endTs));
  return { fromEvents, fromPorts, totalMs: intervalMs([...fromEvents, ...fromPorts]) };
}

/** Who held the lock when, from the lock events (the store's view wins over a broker's claim). */
export function lockSegments(history: History): LockSegment[] {
  return lockSegmentsOf(labEvents(history), history.endTs);
}

/**
 * Every change of lock holder after the first, each matched with the latest injected fault before it
 * that no earlier change already answered: a change without one is the cluster failing over by itself
 * (a lease that expires between renewals, say).
 */
export function masterChanges(history: History): MasterChange[] {
  const events = labEvents(history);
  const out: MasterChange[] = [];
  let holder: string | null = null;
  let pendingFault: FaultKind | null = null;
  for (const e of events) {
    if (e.type === 'fault' && e.phase === 'injected') pendingFault = e.fault;
    if (e.type !== 'lock' || e.lock.holder === null || e.lock.holder === holder) continue;
    if (holder !== null || out.length > 0) {
      out.push({ ts: e.ts, from: holder, to: e.lock.holder, fault: pendingFault });
      pendingFault = null;
    }
    holder = e.lock.holder;
  }
  return out;
}

/** Receipted sends and deliveries per `bucketMs`. */
export function rates(history: History, bucketMs: number): RateBucket[] {
  const count = Math.max(1, Math.ceil((history.endTs - history.startTs) / bucketMs));
  const buckets: RateBucket[] = Array.from({ length: count }, (_, i) => ({ ts: history.startTs + i * bucketMs, sent: 0, received: 0 }));
  const at = (ts: number) => buckets[Math.min(count - 1, Math.max(0, Math.floor((ts - history.startTs) / bucketMs)))]!;
  for (const e of history.entries) {
    if (e.type === 'send' && e.outcome === 'ok' && e.completeTs !== null) at(e.completeTs).sent++;
    else if (e.type === 'deliver') at(e.ts).received++;
  }
  return buckets;
}
