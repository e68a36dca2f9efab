import { describe, expect, it } from 'vitest';
import type { LabApi } from './contract/index.js';
import type { LabEventInput } from './contract/index.js';
import { LabApiError } from './lab-errors.js';
import { ScenarioRuns } from './scenario-runs.js';
import { parseScenario } from '../scenario/scenario-format.js';

const unusedLab: LabApi = {
  invoke: () => Promise.reject(new Error('not called')),
  subscribe: () => () => undefined,
};

describe('ScenarioRuns', () => {
  it('lists every built-in scenario as text the scenario parser accepts', () => {
    const { scenarios } = new ScenarioRuns(unusedLab, async () => undefined).list();
    expect(scenarios.map((s) => s.name)).toContain('master-failed');
    for (const s of scenarios) expect(parseScenario(s.text).ok).toBe(true);
  });

  it('refuses a scenario with errors, naming the line and column, and records no run', () => {
    const runs = new ScenarioRuns(unusedLab, async () => undefined);
    expect(() => runs.start('name: x\nworkload: { count: -1 }\n', undefined)).toThrowError(LabApiError);
    expect(() => runs.start('name: x\nworkload: { count: -1 }\n', undefined)).toThrow(/^\d+:\d+ /);
    expect(runs.all().runs).toEqual([]);
  });

  it('records a run that broke with the reason, after freeing the cluster slot', async () => {
    let destroyed = 0;
    const events: LabEventInput[] = [];
    const runs = new ScenarioRuns(unusedLab, async () => destroyed++, (e) => events.push(e));
    const { runId } = runs.start(new ScenarioRuns(unusedLab, async () => undefined).list().scenarios[0]!.text, 'sqlite');
    await expect.poll(() => runs.all().runs[0]?.state).toBe('broken');
    expect(runs.all().runs[0]).toMatchObject({ runId, error: expect.stringContaining('not called') });
    expect(destroyed).toBe(1);
    expect(() => runs.html(runId)).toThrowError(/no report/);
    expect(events.at(-1)).toMatchObject({ type: 'scenario', runId, state: 'broken' });
  });
});
