import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { LabService } from '../../src-main/api/lab-service.js';
import { NodeProcessLauncher } from '../../src-main/cluster/node-process-launcher.js';
import { ScenarioSchema } from '../../src-main/scenario/scenario-format.js';
import type { ScenarioInput } from '../../src-main/scenario/scenario-format.js';
import type { ScenarioReport } from '../../src-main/scenario/report.js';
import { ScenarioRunner } from '../../src-main/scenario/scenario-runner.js';

/** The `failover-lab` command, for tests that run `failover-lab test` as a user would. */
export const CLI = fileURLToPath(new URL('../../bin/failover-lab.cjs', import.meta.url));

/**
 * Returns a function that runs a scenario on a fresh LabService with real broker processes; the
 * service is closed after each test of the calling file.
 */
export function useScenarioRunner(): (input: ScenarioInput) => Promise<ScenarioReport> {
  let service: LabService | null = null;
  afterEach(async () => {
    await service?.close();
    service = null;
  });
  return (input) => {
    service = new LabService({ launcher: new NodeProcessLauncher(), labDir: mkdtempSync(join(tmpdir(), 'failover-lab-scenario-')), pollMs: 100 });
    return new ScenarioRunner(service, ScenarioSchema.parse(input)).run();
  };
}
