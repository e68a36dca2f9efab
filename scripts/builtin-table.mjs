#!/usr/bin/env node
// Runs every built-in scenario on each store with `failover-lab test ... --json` and prints the
// rows of the table in docs/scenarios.md ("The built-ins on each store"), one run each.
// Usage: node scripts/builtin-table.mjs [sqlite,pgmem,postgres://...] [name ...]
// (build first: npm run build:node; PostgreSQL rows need ./scripts/start-postgres.sh)
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../bin/failover-lab.cjs', import.meta.url));
const PG_URL = process.env.FAILOVER_LAB_PG_URL ?? 'postgres://failover_lab:failover_lab@127.0.0.1:5432/failover_lab';
const [storeArg, ...names] = process.argv.slice(2);
const stores = (storeArg ?? `sqlite,pgmem,${PG_URL}`).split(',');
const STORE_LABEL = (store) => (store === 'sqlite' ? 'SQLite' : store === 'pgmem' ? 'pg-mem' : 'PostgreSQL');

function run(args) {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 300_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

function verdictText(report) {
  const v = report.verdict;
  const parts = [`lost ${v.lost}, dup ${v.duplicated} (unflagged ${v.duplicatedUnflagged}), unexpected ${v.unexpected}${v.aborted ? `, aborted ${v.aborted}` : ''}`];
  const gaps = report.failovers.map((f) => (f.clientGapMs === null ? 'none' : `${f.clientGapMs}`));
  parts.push(`failovers ${report.failovers.length}${gaps.length ? ` (client gap ${gaps.join('/')} ms)` : ''}`);
  const unexplained = report.masterChanges.filter((c) => c.fault === null).length;
  parts.push(`master changes ${report.masterChanges.length}${unexplained ? ` (${unexplained} without fault)` : ''}`);
  parts.push(`dual master ${report.dualMasterMs} ms`);
  return `${report.passed ? 'PASSED' : 'FAILED'}: ${parts.join('; ')}`;
}

const list = names.length > 0 ? names : (await run(['test', '--list'])).stdout.split('\n').map((l) => l.split(/\s+/)[0]).filter(Boolean);
for (const name of list) {
  for (const store of stores) {
    const dir = mkdtempSync(join(tmpdir(), 'builtin-'));
    const out = join(dir, 'report.json');
    const started = performance.now();
    const { code, stderr } = await run(['test', name, '--store', store, '--json', out, '--quiet', '--lab-dir', join(dir, 'lab')]);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    let cell;
    try {
      const report = JSON.parse(readFileSync(out, 'utf8'));
      cell = `${verdictText(report)} | ${(report.durationMs / 1000).toFixed(1)} s`;
    } catch {
      cell = `${code === 2 ? 'refused' : 'broke'} (exit ${code}): ${stderr.trim().split('\n').at(-1)} | ${seconds} s`;
    }
    process.stdout.write(`| ${name} | ${STORE_LABEL(store)} | ${cell} |\n`);
    rmSync(dir, { recursive: true, force: true });
  }
}
