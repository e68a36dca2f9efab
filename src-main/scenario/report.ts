import type { CheckResult, Expectation, FaultRecord, MemoryGrowth, ScenarioReport } from '../api/contract/index.js';
import type { Scenario } from './scenario-format.js';

export type { Expectation, FaultRecord, ScenarioReport };

export const REPORT_SCHEMA: ScenarioReport['schema'] = 'failover-lab/scenario-report@1';

/** Each expectation of the scenario against the checker's result. */
export function evaluate(expect: Scenario['expect'], result: CheckResult): Expectation[] {
  const v = result.verdict;
  const gaps = result.failovers.map((f) => f.clientGapMs ?? Infinity);
  const actual: Record<string, number> = {
    lost: v.lost,
    duplicated: v.duplicated,
    duplicatedUnflagged: v.duplicatedUnflagged,
    unexpected: v.unexpected,
    reordered: v.reordered,
    dualMasterMs: result.dualMaster.totalMs,
    clientGapMs: gaps.length > 0 ? Math.max(...gaps) : 0,
    minFailovers: result.failovers.length,
    masterChangesWithoutFault: result.masterChanges.filter((c) => c.fault === null).length,
  };
  return Object.entries(expect).flatMap(([name, limit]) => {
    if (limit === undefined) return [];
    const kind = name === 'minFailovers' ? 'min' : 'max';
    const value = actual[name] ?? 0;
    return [{ name, kind, limit, actual: value, passed: kind === 'max' ? value <= limit : value >= limit }];
  });
}

/** The verdict as a few lines for a terminal. */
export function formatVerdict(report: ScenarioReport): string {
  const v = report.verdict;
  const lines = [
    `${report.scenario.name} on ${report.store} (${report.locker}, ${report.brokers} brokers${report.seed !== null ? `, seed ${report.seed}` : ''}): ${report.passed ? 'PASSED' : 'FAILED'} in ${(report.durationMs / 1000).toFixed(1)} s`,
    `  messages: ${v.sent} sent, ${v.receipted} receipted${v.aborted ? ` (${v.aborted} more in aborted transactions)` : ''}, ${v.delivered} delivered; lost ${v.lost}, duplicated ${v.duplicated} (${v.duplicatedFlagged} flagged redeliveries, ${v.duplicatedUnflagged} unflagged), unexpected ${v.unexpected}, recovered ${v.recovered}, reordered ${v.reordered}, indeterminate ${v.indeterminate}`,
  ];
  for (const f of report.failovers) {
    const ms = (n: number | null) => (n === null ? '-' : `${n} ms`);
    lines.push(`  failover after ${f.fault} of ${f.broker ?? 'the database'}: old master gone ${ms(f.oldMasterGoneMs)}, new master ${f.newMaster ?? '-'} holds the lock ${ms(f.newMasterLockMs)}, connectors open ${ms(f.connectorsOpenMs)}, client gap ${ms(f.clientGapMs)}`);
  }
  const unprovoked = report.masterChanges.filter((c) => c.fault === null).length;
  if (report.masterChanges.length > 0) lines.push(`  master changes: ${report.masterChanges.length} (${unprovoked} without a fault)`);
  lines.push(`  dual master: ${report.dualMasterMs} ms; outages: ${report.outages.length}${report.outages.length ? ` (longest ${Math.max(...report.outages.map((o) => o.durationMs))} ms)` : ''}`);
  const growth = report.memory?.growth;
  if (growth) {
    const mb = (g: MemoryGrowth['labRssMb']) => `${g.from} → ${g.to} MB (${g.growthPct >= 0 ? '+' : ''}${g.growthPct}%)`;
    lines.push(`  memory from fault ${growth.fromFault} to fault ${growth.toFault}: lab host ${mb(growth.labRssMb)}, largest broker ${mb(growth.brokerRssMb)}`);
  }
  for (const f of report.faults.filter((x) => !x.ok)) lines.push(`  fault ${f.action} ${f.target} not done: ${f.detail}`);
  for (const e of report.expectations) lines.push(`  ${e.passed ? 'ok  ' : 'FAIL'} ${e.name} ${e.kind === 'max' ? '<=' : '>='} ${e.limit}: ${e.actual}`);
  for (const n of report.notes) lines.push(`  note: ${n}`);
  for (const x of report.explanations) lines.push(`  why: ${x}`);
  return lines.join('\n');
}
