import { describe, expect, it } from 'vitest';
import { findBuiltin } from '../../src-main/scenario/builtin-scenarios.js';
import { useScenarioRunner } from '../support/scenario-harness.js';

const runScenario = useScenarioRunner();

describe('soak (built-in, shortened)', () => {
  it('survives 20 random faults on SQLite with a queue and a durable topic busy: nothing lost or unexpected, never two masters, memory sampled at every fault', async () => {
    const soak = findBuiltin('soak')!;
    const report = await runScenario({ ...soak, soak: { ...soak.soak!, faults: 20, seed: 7, intervalMs: 3000 } });
    expect(report.faults).toHaveLength(20);
    expect(new Set(report.faults.map((f) => f.action)).size).toBeGreaterThanOrEqual(3);
    expect(report.verdict).toMatchObject({ lost: 0, unexpected: 0 });
    expect(report.verdict.receipted).toBeGreaterThan(1000);
    expect(report.dualMasterMs).toBe(0);
    // Queue redeliveries after a failover carry redelivered:true (the dispatch mark); a durable
    // subscription has no such mark yet, so its repeats are counted, not failed, here.
    const queueUnflagged = report.anomalies.filter((a) => a.kind === 'duplicated' && a.destination === '/queue/soak');
    expect(queueUnflagged).toEqual([]);
    expect(report.memory?.samples).toHaveLength(21);
    expect(report.memory?.growth).toMatchObject({ toFault: 20, labRssMb: { from: expect.any(Number) }, brokerRssMb: { from: expect.any(Number) } });
  }, 300_000);
});
