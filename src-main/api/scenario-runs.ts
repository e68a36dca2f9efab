import { stringify } from 'yaml';
import { BUILTIN_SCENARIOS } from '../scenario/builtin-scenarios.js';
import { renderHtmlReport } from '../scenario/report-html.js';
import { formatVerdict } from '../scenario/report.js';
import { parseScenario } from '../scenario/scenario-format.js';
import { ScenarioRunner } from '../scenario/scenario-runner.js';
import type { LabApi, LabEventInput, ScenarioProgressView as ScenarioProgress, ScenarioRunView } from './contract/index.js';
import { LabApiError } from './lab-errors.js';

export type { ScenarioRunView };

const KEPT_RUNS = 20;

/**
 * Scenario runs behind LabApi (`scenario/*`), one at a time, on the lab's own cluster slot: a run
 * replaces the current cluster and tears its own down when done, as `failover-lab test` does.
 */
export class ScenarioRuns {
  private readonly runs: ScenarioRunView[] = [];
  private nextId = 1;

  constructor(
    private readonly lab: LabApi,
    private readonly destroyCluster: () => Promise<unknown>,
    /** Publishes the run's progress and, once its report is in, the client outages it found. */
    private readonly emit: (event: LabEventInput) => void = () => undefined,
  ) {}

  list(): { scenarios: Array<{ name: string; description: string; text: string }> } {
    return { scenarios: BUILTIN_SCENARIOS.map((s) => ({ name: s.name, description: s.description ?? '', text: stringify(s) })) };
  }

  start(text: string, store: string | undefined): { runId: number; name: string } {
    if (this.runs.some((r) => r.state === 'running')) throw new LabApiError('conflict', 'a scenario is running: wait for its verdict');
    const parsed = parseScenario(text);
    if (!parsed.ok) throw new LabApiError('bad-request', parsed.diagnostics.map((d) => `${d.line}:${d.column} ${d.path ? `${d.path}: ` : ''}${d.message}`).join('; '));
    const run: ScenarioRunView = { runId: this.nextId++, name: parsed.scenario.name, store: store ?? null, startedAt: Date.now(), state: 'running', progress: null, verdict: null, report: null, error: null };
    this.runs.push(run);
    if (this.runs.length > KEPT_RUNS) this.runs.shift();
    const publish = () => this.emit({ type: 'scenario', runId: run.runId, name: run.name, state: run.state, progress: run.progress });
    const onProgress = (p: ScenarioProgress) => {
      run.progress = p;
      publish();
    };
    void (async () => {
      try {
        await this.destroyCluster();
        const report = await new ScenarioRunner(this.lab, parsed.scenario, { ...(store ? { store } : {}), onProgress }).run();
        run.report = report;
        run.verdict = formatVerdict(report);
        run.state = report.passed ? 'passed' : 'failed';
        // The runner keeps client operations to itself until the Checker ran: outages come with the report.
        for (const o of report.outages) this.emit({ type: 'client-outage', runId: run.runId, from: o.from, to: o.to, durationMs: o.durationMs, source: 'report' });
      } catch (error) {
        run.state = 'broken';
        run.error = (error as Error).message;
      }
      publish();
    })();
    return { runId: run.runId, name: run.name };
  }

  all(): { runs: ScenarioRunView[] } {
    return { runs: [...this.runs].reverse() };
  }

  html(runId: number): { html: string } {
    const run = this.runs.find((r) => r.runId === runId);
    if (!run?.report) throw new LabApiError('not-found', `run ${runId} has no report (yet)`);
    return { html: renderHtmlReport(run.report) };
  }
}
