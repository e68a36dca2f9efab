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
  latencyMs: number | null;
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

/** The scheduled faults plus the random and soak ones drawn from the seed, in time order. */
export function planFaults(scenario: Scenario, seedOverride?: number, store = scenario.cluster.store): PlannedFault[] {
  const planned = [...scenario.faults.map((f) => fromFault(f)), ...planSoak(scenario, store, seedOverride)];
  const r = scenario.random;
  if (r) {
    const random = seededRandom(seedOverride ?? r.seed);
    for (let i = 0; i < r.count; i++) {
      const atMs = Math.round(r.fromMs + random() * Math.max(0, r.toMs - r.fromMs));
      const action = r.actions[Math.floor(random() * r.actions.length)]!;
      planned.push({ atMs, afterMessages: null, action, target: 'master', durationMs: r.durationMs, offsetMs: action === 'clock-offset' ? r.durationMs * 3 : null, mode: 'blackhole', latencyMs: null, random: true });
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
    latencyMs: f.latencyMs ?? null,
    random: false,
  };
}

/** Every fault kind a soak draws from: what each store allows (SQLite has no server or link to break). */
export function soakActions(store: string): FaultActionName[] {
  return store === 'sqlite' ? ['kill', 'pause', 'stop', 'restart', 'db-failure'] : ['kill', 'pause', 'stop', 'restart', 'cut-link', 'db-restart', 'latency'];
}

/**
 * A soak's faults, one every `intervalMs` so they never overlap: mostly at the master (a fault on a
 * slave now and then), cut links alternating between blackhole and reset.
 */
function planSoak(scenario: Scenario, store: string, seedOverride?: number): PlannedFault[] {
  const soak = scenario.soak;
  if (!soak) return [];
  const random = seededRandom(seedOverride ?? soak.seed);
  const actions = soak.actions ?? soakActions(store);
  return Array.from({ length: soak.faults }, (_, i) => {
    const action = actions[Math.floor(random() * actions.length)]!;
    const target = random() < 0.8 || action === 'db-restart' ? 'master' : 'slave';
    return {
      atMs: soak.fromMs + i * soak.intervalMs,
      afterMessages: null,
      action,
      target,
      durationMs: soak.durationMs,
      offsetMs: null,
      mode: random() < 0.5 ? 'blackhole' : 'reset',
      latencyMs: soak.latencyMs,
      random: true,
    };
  });
}

/** Faults that need a database server and a network link: the lab has neither for SQLite. */
const NEEDS_POSTGRES_PROTOCOL: ReadonlySet<FaultActionName> = new Set(['db-restart', 'cut-link', 'heal-link', 'latency']);

/** Why `scenario` cannot run on `store`, or null. */
export function storeProblem(scenario: Scenario, store: string): string | null {
  if (store !== 'sqlite') return null;
  const actions = [...scenario.faults.map((f) => f.action), ...(scenario.random?.actions ?? []), ...(scenario.soak?.actions ?? [])].filter((a) => NEEDS_POSTGRES_PROTOCOL.has(a));
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
    case 'latency':
      await lab.invoke('fault/latency', { broker, latencyMs: fault.latencyMs ?? 100 });
      if (fault.durationMs) later(fault.durationMs, () => lab.invoke('fault/latency', { broker, latencyMs: 0 }));
      break;
  }
  return `${fault.action}${broker ? ` ${broker}` : ''}`;
}
