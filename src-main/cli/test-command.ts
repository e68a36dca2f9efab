import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { LabService } from '../api/lab-service.js';
import { NodeProcessLauncher } from '../cluster/node-process-launcher.js';
import { BUILTIN_SCENARIOS, findBuiltin } from '../scenario/builtin-scenarios.js';
import { storeProblem } from '../scenario/fault-schedule.js';
import { renderHtmlReport } from '../scenario/report-html.js';
import { formatVerdict } from '../scenario/report.js';
import { ScenarioSchema, formatDiagnostics, parseScenario } from '../scenario/scenario-format.js';
import type { Scenario } from '../scenario/scenario-format.js';
import { ScenarioRunner } from '../scenario/scenario-runner.js';
import type { ScenarioProgress } from '../scenario/scenario-runner.js';
import { labDirOf } from './state-file.js';

const TEST_USAGE = `usage: failover-lab test <scenario.yaml|scenario.json|builtin-name> [--store sqlite|pgmem|postgres://...]
                         [--json out.json] [--html out.html] [--seed N] [--faults N] [--lab-dir DIR] [--quiet]
       failover-lab test --list
Exit 0 when every expectation held, 1 when one failed (or the run broke), 2 for a bad scenario or flags.`;

/** `failover-lab test`: runs a scenario headless and exits non-zero when an expectation fails (for CI). */
export async function runTestCommand(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        list: { type: 'boolean', default: false },
        store: { type: 'string' },
        json: { type: 'string' },
        html: { type: 'string' },
        seed: { type: 'string' },
        faults: { type: 'string' },
        'lab-dir': { type: 'string' },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${TEST_USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${TEST_USAGE}\n`);
    return 0;
  }
  if (values.list) {
    for (const s of BUILTIN_SCENARIOS) process.stdout.write(`${s.name.padEnd(28)} ${s.description ?? ''}\n`);
    return 0;
  }
  if (positionals.length !== 1) {
    process.stderr.write(`name one scenario file or built-in\n${TEST_USAGE}\n`);
    return 2;
  }
  if (values.seed !== undefined && !/^-?\d+$/.test(values.seed)) {
    process.stderr.write(`--seed ${values.seed}: expected an integer\n`);
    return 2;
  }
  if (values.faults !== undefined && !(/^[1-9]\d{0,4}$/.test(values.faults) && Number(values.faults) <= 10_000)) {
    process.stderr.write(`--faults ${values.faults}: expected a whole number of faults from 1 to 10000\n`);
    return 2;
  }
  if (values.store !== undefined && !(values.store === 'sqlite' || values.store === 'pgmem' || /^postgres(ql)?:\/\/\S+$/.test(values.store))) {
    process.stderr.write(`--store ${values.store}: expected sqlite, pgmem or a postgres:// URL\n`);
    return 2;
  }
  const scenario = await loadScenario(positionals[0]!);
  if (!scenario) return 2;
  const problem = storeProblem(scenario, values.store ?? scenario.cluster.store);
  if (problem) {
    process.stderr.write(`${problem}\n`);
    return 2;
  }

  const service = new LabService({ launcher: new NodeProcessLauncher(), labDir: labDirOf(values['lab-dir']), pollMs: 100 });
  const onProgress = values.quiet ? undefined : progressLine();
  let report;
  try {
    report = await new ScenarioRunner(service, scenario, {
      ...(values.store ? { store: values.store } : {}),
      ...(values.seed !== undefined ? { seed: Number(values.seed) } : {}),
      ...(values.faults !== undefined ? { faults: Number(values.faults) } : {}),
      ...(onProgress ? { onProgress } : {}),
    }).run();
  } catch (error) {
    process.stderr.write(`\n${scenario.name}: the run broke: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await service.close();
  }
  if (onProgress) process.stderr.write('\n');
  process.stdout.write(`${formatVerdict(report)}\n`);
  if (values.json) await writeOut(values.json, JSON.stringify(report, null, 2));
  if (values.html) await writeOut(values.html, renderHtmlReport(report));
  return report.passed ? 0 : 1;
}

async function loadScenario(nameOrFile: string): Promise<Scenario | null> {
  const builtin = findBuiltin(nameOrFile);
  if (builtin) return ScenarioSchema.parse(builtin);
  let text;
  try {
    text = await readFile(nameOrFile, 'utf8');
  } catch {
    process.stderr.write(`"${nameOrFile}" is neither a scenario file nor a built-in (failover-lab test --list)\n`);
    return null;
  }
  const parsed = parseScenario(text);
  if (!parsed.ok) {
    process.stderr.write(`${formatDiagnostics(nameOrFile, parsed.diagnostics)}\n`);
    return null;
  }
  return parsed.scenario;
}

async function writeOut(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
}

/** One line rewritten in place on a terminal (a new line every few seconds otherwise). */
function progressLine(): (p: ScenarioProgress) => void {
  const tty = process.stderr.isTTY;
  let lastPrinted = 0;
  return (p) => {
    const width = 24;
    // A soak (total 0) sends until its last fault: no bar to fill.
    const done = p.total > 0 ? Math.min(width, Math.round((p.sent / p.total) * width)) : 0;
    const line = `[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${p.phase.padEnd(8)} ${(p.elapsedMs / 1000).toFixed(1)}s sent ${p.sent}${p.total > 0 ? `/${p.total}` : ''} receipted ${p.receipted} delivered ${p.delivered} faults ${p.faults}`;
    if (tty) process.stderr.write(`\r${line}`);
    else if (p.elapsedMs - lastPrinted >= 2000 || p.phase === 'done') {
      lastPrinted = p.elapsedMs;
      process.stderr.write(`${line}\n`);
    }
  };
}
