import { describe, expect, it } from 'vitest';
import { planFaults, soakActions, storeProblem } from './fault-schedule.js';
import { ScenarioSchema } from './scenario-format.js';

const soak = (extra: Record<string, unknown> = {}) => ScenarioSchema.parse({ name: 'soak', soak: { faults: 40, seed: 3, intervalMs: 1000, fromMs: 500, ...extra } });

describe('planFaults: soak', () => {
  it('plans the given number of faults, one every intervalMs, so that they never overlap', () => {
    const plan = planFaults(soak(), undefined, 'pgmem');
    expect(plan).toHaveLength(40);
    expect(plan.map((f) => f.atMs)).toEqual(Array.from({ length: 40 }, (_, i) => 500 + i * 1000));
  });

  it('draws every kind of fault the store allows, and only those', () => {
    const onPg = new Set(planFaults(soak({ faults: 200 }), undefined, 'postgres://x/y').map((f) => f.action));
    expect([...onPg].sort()).toEqual([...soakActions('postgres://x/y')].sort());
    const onSqlite = new Set(planFaults(soak({ faults: 200 }), undefined, 'sqlite').map((f) => f.action));
    expect([...onSqlite].sort()).toEqual(['db-failure', 'kill', 'pause', 'restart', 'stop']);
  });

  it('replays the same faults from the same seed and others from another', () => {
    const a = planFaults(soak(), undefined, 'pgmem');
    expect(planFaults(soak(), undefined, 'pgmem')).toEqual(a);
    expect(planFaults(soak(), 4, 'pgmem')).not.toEqual(a);
  });

  it('refuses link faults named for a SQLite soak, with the reason', () => {
    expect(storeProblem(soak({ actions: ['kill', 'latency'] }), 'sqlite')).toMatch(/latency need\(s\) a PostgreSQL-protocol store/);
    expect(storeProblem(soak(), 'sqlite')).toBeNull();
  });
});
