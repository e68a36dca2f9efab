import type { LabApi } from '../api/contract/index.js';
import type { FaultActionName, Scenario, ScenarioFault } from './scenario-format.js';

/** A fault to fire: at a time or after a message count, possibly followed by its undoing. */
export interface PlannedFault {
  atMs: number | null;
  afterMessages: number | null;
  action: FaultActionName;
  target: string;
  durationMs: number | null;
  offsetMs: number | null;
  mode: 'reset' | 'blackhole';
  random: boolean;
}

/** mulberry32: a small seeded generator, so `--seed N` replays the same random faults. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The scheduled faults plus the random ones drawn from the seed, in time order. */
export function planFaults(scenario: Scenario, seedOverride?: number): PlannedFault[] {
  const planned = scenario.faults.map((f) => fromFault(f));
  const r = scenario.random;
  if (r) {
    const random = seededRandom(seedOverride ?? r.seed);
    for (let i = 0; i < r.count; i++) {
      const atMs = Math.round(r.fromMs + random() * Math.max(0, r.toMs - r.fromMs));
      const action = r.actions[Math.floor(random() * r.actions.length)]!;
      planned.push({ atMs, afterMessages: null, action, target: 'master', durationMs: r.durationMs, offsetMs: action === 'clock-offset' ? r.durationMs * 3 : null, mode: 'blackhole', random: true });
    }
  }
  return planned.sort((a, b) => (a.atMs ?? Infinity) - (b.atMs ?? Infinity));
}

function fromFault(f: ScenarioFault): PlannedFault {
  return {
    atMs: f.atMs ?? null,
    afterMessages: f.afterMessages ?? null,
    action: f.action,
    target: f.target,
    durationMs: f.durationMs ?? null,
    offsetMs: f.offsetMs ?? null,
    mode: f.mode ?? 'blackhole',
    random: false,
  };
}

/** Faults that need a database server and a network link: the lab has neither for SQLite. */
const NEEDS_POSTGRES_PROTOCOL: ReadonlySet<FaultActionName> = new Set(['db-restart', 'cut-link', 'heal-link']);

/** Why `scenario` cannot run on `store`, or null. */
export function storeProblem(scenario: Scenario, store: string): string | null {
  if (store !== 'sqlite') return null;
  const actions = [...scenario.faults.map((f) => f.action), ...(scenario.random?.actions ?? [])].filter((a) => NEEDS_POSTGRES_PROTOCOL.has(a));
  if (actions.length === 0) return null;
  return `${scenario.name}: ${[...new Set(actions)].join(', ')} need(s) a PostgreSQL-protocol store (--store pgmem or --store postgres://...): SQLite has no database server or link to break (db-failure simulates a failing store on SQLite)`;
}

/** `master` / `slave` are resolved when the fault fires, from the lab's current status. */
async function resolveTarget(lab: LabApi, target: string): Promise<string> {
  if (target !== 'master' && target !== 'slave') return target;
  const status = await lab.invoke('cluster/status');
  const found = status.brokers.find((b) => b.role === target) ?? (target === 'slave' ? status.brokers.find((b) => b.role !== 'master') : undefined);
  if (!found) throw new Error(`no ${target} to ${target === 'master' ? 'break' : 'use'} right now`);
  return found.name;
}

/** Fires one fault through LabApi; returns what it did (the lab also publishes a `fault` event). */
export async function fireFault(lab: LabApi, fault: PlannedFault, later: (ms: number, undo: () => Promise<unknown>) => void): Promise<string> {
  const needsBroker = fault.action !== 'db-restart';
  const broker = needsBroker ? await resolveTarget(lab, fault.target) : '';
  switch (fault.action) {
    case 'kill':
    case 'stop':
      await lab.invoke(`broker/${fault.action}`, { broker });
      // With a duration the broker comes back (as a slave) afterwards.
      if (fault.durationMs) later(fault.durationMs, () => lab.invoke('broker/start', { broker }));
      break;
    case 'start':
    case 'restart':
    case 'resume':
      await lab.invoke(`broker/${fault.action}`, { broker });
      break;
    case 'pause':
      await lab.invoke('broker/pause', { broker, ...(fault.durationMs ? { durationMs: fault.durationMs } : {}) });
      break;
    case 'cut-link':
      await lab.invoke('fault/cut-link', { broker, mode: fault.mode });
      if (fault.durationMs) later(fault.durationMs, () => lab.invoke('fault/heal-link', { broker }));
      break;
    case 'heal-link':
      await lab.invoke('fault/heal-link', { broker });
      break;
    case 'db-restart':
      await lab.invoke('fault/db-restart', {});
      break;
    case 'db-failure':
      await lab.invoke('fault/db-failure', { broker, failing: true });
      if (fault.durationMs) later(fault.durationMs, () => lab.invoke('fault/db-failure', { broker, failing: false }));
      break;
    case 'clock-offset':
      await lab.invoke('fault/clock-offset', { broker, offsetMs: fault.offsetMs ?? 0 });
      break;
  }
  return `${fault.action}${broker ? ` ${broker}` : ''}`;
}
