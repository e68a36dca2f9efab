import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CLI, useScenarioRunner } from '../support/scenario-harness.js';
import type { ScenarioReport } from '../../src-main/scenario/report.js';

const run = promisify(execFile);

const runScenario = useScenarioRunner();

describe('transactional and durable workloads against real brokers', () => {
  it('kill -9 amid transactions: every committed message arrives, no aborted one does', async () => {
    const report = await runScenario({
      name: 'tx-kill',
      workload: { count: 300, ratePerSec: 0, transactions: { size: 6, abortEvery: 3 } },
      faults: [{ afterMessages: 150, action: 'kill' }],
      expect: { lost: 0, unexpected: 0, dualMasterMs: 0, minFailovers: 1 },
    });
    expect(report.passed).toBe(true);
    // 50 transactions of 6, every 3rd aborted: 16 aborted (96 sends), 34 committed (204).
    expect(report.verdict).toMatchObject({ sent: 204, aborted: 96, receipted: 204, lost: 0, unexpected: 0, indeterminate: 0 });
    expect(report.failovers).toHaveLength(1);
  });

  it('offline durable subscribers get the backlog published across a failover', async () => {
    const report = await runScenario({
      name: 'durable-offline',
      workload: { destination: '/topic/offline', durable: true, consumers: 2, count: 200, ratePerSec: 0, consumeAfterSend: true },
      faults: [{ afterMessages: 100, action: 'kill' }],
      expect: { lost: 0, unexpected: 0, dualMasterMs: 0, minFailovers: 1 },
    });
    expect(report.passed).toBe(true);
    expect(report.verdict).toMatchObject({ receipted: 200, lost: 0 });
    expect(report.verdict.delivered).toBeGreaterThanOrEqual(400);
  });
});

describe('failover-lab test --json on built-ins', () => {
  for (const name of ['master-failed', 'paused-master']) {
    it(`${name}: the JSON report carries the verdict counts, client gaps, dual-master time and passed`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'failover-lab-cli-'));
      const out = join(dir, 'report.json');
      const { stdout } = await run(process.execPath, [CLI, 'test', name, '--json', out, '--lab-dir', dir, '--quiet'], { timeout: 60_000 });
      expect(stdout).toMatch(new RegExp(`^${name} on sqlite .*PASSED`, 'm'));
      const report = JSON.parse(readFileSync(out, 'utf8')) as ScenarioReport;
      expect(report.schema).toBe('failover-lab/scenario-report@1');
      expect(report.passed).toBe(true);
      for (const field of ['lost', 'duplicated', 'unexpected', 'recovered'] as const) expect(report.verdict[field]).toEqual(expect.any(Number));
      expect(report.verdict.lost).toBe(0);
      expect(report.dualMasterMs).toBe(0);
      expect(report.failovers).toHaveLength(1);
      expect(report.failovers[0]!.clientGapMs).toBeGreaterThan(0);
      expect(report.failovers[0]!.oldMaster).toBe('broker1');
      // The old master's end is part of the story: a paused one gives up when it wakes.
      expect(report.failovers[0]!.oldMasterGoneMs).toEqual(expect.any(Number));
      expect(report.explanations).toEqual(expect.any(Array));
    });
  }

  it('refuses a scenario that needs a PostgreSQL-protocol store on SQLite with exit 2', async () => {
    const failure = await run(process.execPath, [CLI, 'test', 'lost-db-link', '--store', 'sqlite']).catch((e: { code: number; stderr: string }) => e);
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toMatch(/cut-link need\(s\) a PostgreSQL-protocol store/);
  });
});
