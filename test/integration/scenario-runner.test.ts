import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CLI, useScenarioRunner } from '../support/scenario-harness.js';
import type { ScenarioReport } from '../../src-main/scenario/report.js';

const run = promisify(execFile);

const runScenario = useScenarioRunner();

describe('ScenarioRunner against real brokers', () => {
  it('kill -9 of the master after N messages: nothing lost, one failover with a client gap, no dual master', async () => {
    const report = await runScenario({
      name: 'short-kill',
      workload: { count: 300, ratePerSec: 0, inFlight: 10 },
      faults: [{ afterMessages: 150, action: 'kill' }],
      expect: { lost: 0, unexpected: 0, dualMasterMs: 0, minFailovers: 1 },
    });
    expect(report.passed).toBe(true);
    expect(report.verdict).toMatchObject({ receipted: 300, lost: 0, unexpected: 0 });
    expect(report.failovers).toHaveLength(1);
    expect(report.failovers[0]!.clientGapMs).toBeGreaterThan(0);
    expect(report.dualMasterMs).toBe(0);
    expect(report.lock.map((s) => s.holder)).toEqual(expect.arrayContaining(['broker1', 'broker2']));
  });

  it('fails an expectation it cannot meet and says which', async () => {
    const report = await runScenario({ name: 'impossible', workload: { count: 50, ratePerSec: 0 }, expect: { minFailovers: 1 } });
    expect(report.passed).toBe(false);
    expect(report.expectations).toEqual([{ name: 'minFailovers', kind: 'min', limit: 1, actual: 0, passed: false }]);
  });
});

describe('failover-lab test', () => {
  it('lists the built-ins, the seed’s second picture among them', async () => {
    const { stdout } = await run(process.execPath, [CLI, 'test', '--list']);
    expect(stdout).toMatch(/^master-failed\s/m);
    expect(stdout).toMatch(/^startup\s/m);
  });

  it('runs a scenario file, writes JSON and HTML reports, and exits 0 when it passed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'failover-lab-cli-'));
    const file = join(dir, 'short.yaml');
    writeFileSync(file, 'name: short\nworkload:\n  count: 100\n  ratePerSec: 0\nfaults:\n  - afterMessages: 50\n    action: kill\n');
    const { stdout } = await run(process.execPath, [CLI, 'test', file, '--json', join(dir, 'r.json'), '--html', join(dir, 'r.html'), '--lab-dir', dir, '--quiet'], { timeout: 60_000 }).catch(
      // A failed run says why: its verdict on stdout, a broken run on stderr.
      (e: { code: number; stdout: string; stderr: string }) => {
        throw new Error(`failover-lab test exited ${e.code}\nstdout: ${e.stdout}\nstderr: ${e.stderr}`);
      },
    );
    expect(stdout).toMatch(/short on sqlite .*PASSED/);
    const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as ScenarioReport;
    expect(report).toMatchObject({ passed: true, verdict: { lost: 0, unexpected: 0 }, dualMasterMs: 0 });
    expect(typeof report.verdict.duplicated).toBe('number');
    expect(typeof report.verdict.recovered).toBe('number');
    expect(report.failovers[0]!.clientGapMs).toEqual(expect.any(Number));
    const html = readFileSync(join(dir, 'r.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|<link|src="http/);
  });

  it('exits 2 with a positioned error for a bad scenario, and 1 when an expectation fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'failover-lab-cli-'));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'name: bad\nworkload:\n  count: 0\n');
    const failure = await run(process.execPath, [CLI, 'test', bad]).catch((e: { code: number; stderr: string }) => e);
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toMatch(/bad\.yaml:3:\d+ error workload\.count/);
    const failing = join(dir, 'failing.yaml');
    writeFileSync(failing, 'name: failing\nworkload:\n  count: 20\n  ratePerSec: 0\nexpect:\n  minFailovers: 1\n');
    const result = await run(process.execPath, [CLI, 'test', failing, '--lab-dir', dir, '--quiet'], { timeout: 60_000 }).catch((e: { code: number; stdout: string }) => e);
    expect(result).toMatchObject({ code: 1 });
    expect((result as { stdout: string }).stdout).toMatch(/FAIL minFailovers >= 1: 0/);
  });
});
