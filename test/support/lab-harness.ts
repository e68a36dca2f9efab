import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LabEvent, LabPayload } from '../../src-main/api/contract/index.js';
import { LabService } from '../../src-main/api/lab-service.js';
import { NodeProcessLauncher } from '../../src-main/cluster/node-process-launcher.js';

export const PG_URL = process.env.FAILOVER_LAB_PG_URL ?? 'postgres://failover_lab:failover_lab@127.0.0.1:5432/failover_lab';

/** A LabService in this process, driving real broker processes, with every event it published. */
export interface Lab {
  service: LabService;
  events: LabEvent[];
  waitFor<T>(probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, what: string, timeoutMs?: number): Promise<T>;
  master(): Promise<string>;
  roles(): Promise<Record<string, string>>;
  close(): Promise<void>;
}

export async function startLab(create: LabPayload<'cluster/create'>): Promise<Lab> {
  const labDir = mkdtempSync(join(tmpdir(), 'failover-lab-lab-'));
  const service = new LabService({ launcher: new NodeProcessLauncher(), labDir, pollMs: 100 });
  const events: LabEvent[] = [];
  service.subscribe((e) => events.push(e));
  await service.invoke('cluster/create', { start: true, ...create });
  const lab: Lab = {
    service,
    events,
    async waitFor(probe, what, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = await probe();
        if (value) return value;
        if (Date.now() > deadline) {
          const status = await service.invoke('cluster/status').catch(() => null);
          throw new Error(`timed out waiting for ${what}; brokers: ${JSON.stringify(status?.brokers.map((b) => [b.name, b.role, b.lastExit]))}`);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async roles() {
      const status = await service.invoke('cluster/status');
      return Object.fromEntries(status.brokers.map((b) => [b.name, b.role]));
    },
    async master() {
      return lab.waitFor(async () => {
        const masters = Object.entries(await lab.roles()).filter(([, role]) => role === 'master');
        return masters.length === 1 ? masters[0]![0] : undefined;
      }, 'exactly one master');
    },
    close: () => service.close(),
  };
  return lab;
}

/** The first broker-state event matching, after `afterSeq`. */
export function findState(events: readonly LabEvent[], broker: string | null, role: string, afterSeq = 0): Extract<LabEvent, { type: 'broker-state' }> | undefined {
  return events.find((e): e is Extract<LabEvent, { type: 'broker-state' }> => e.type === 'broker-state' && e.seq > afterSeq && (broker === null || e.broker === broker) && e.role === role);
}

export function lastSeq(events: readonly LabEvent[]): number {
  return events.at(-1)?.seq ?? 0;
}

interface Claim {
  broker: string;
  from: number;
  to: number;
}

/**
 * Intervals in which a broker claimed master (from its `master` state event to its next state
 * event), cut at the lease expiry the lab last read from ACTIVEMQ_LOCK for that broker's epoch when
 * the lock is a lease: a claim past its lease is not a valid master (fencing stops it writing).
 */
export function masterClaims(events: readonly LabEvent[], endTs: number, options: { leases: boolean }): Claim[] {
  const claims: Claim[] = [];
  const open = new Map<string, { from: number; epoch: number }>();
  const leaseEnd = new Map<string, number>();
  for (const e of events) {
    if (e.type === 'lock' && e.lock.holder !== null && e.lock.leaseExpiresAt !== null) {
      const key = `${e.lock.holder}#${e.lock.epoch}`;
      leaseEnd.set(key, Math.max(leaseEnd.get(key) ?? 0, e.lock.leaseExpiresAt));
    }
    if (e.type !== 'broker-state') continue;
    const current = open.get(e.broker);
    if (current && e.role !== 'master') {
      claims.push({ broker: e.broker, from: current.from, to: cut(e.broker, current, e.ts) });
      open.delete(e.broker);
    }
    if (!current && e.role === 'master') open.set(e.broker, { from: e.ts, epoch: e.lock?.epoch ?? -1 });
  }
  for (const [broker, current] of open) claims.push({ broker, from: current.from, to: cut(broker, current, endTs) });
  return claims;

  function cut(broker: string, claim: { epoch: number }, to: number): number {
    if (!options.leases) return to;
    const expiry = leaseEnd.get(`${broker}#${claim.epoch}`);
    return expiry === undefined ? to : Math.min(to, expiry);
  }
}

/** Pairs of claims from different brokers that overlap in time. */
export function overlappingClaims(claims: readonly Claim[]): Array<[Claim, Claim]> {
  const pairs: Array<[Claim, Claim]> = [];
  for (let i = 0; i < claims.length; i++) {
    for (let j = i + 1; j < claims.length; j++) {
      const a = claims[i]!;
      const b = claims[j]!;
      if (a.broker !== b.broker && a.from < b.to && b.from < a.to) pairs.push([a, b]);
    }
  }
  return pairs;
}

export { portAccepts } from './broker-process.js';
