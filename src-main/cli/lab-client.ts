import type { LabCommand, LabPayload, LabResponse, LabResult } from '../api/contract/index.js';
import { LabApiError } from '../api/lab-errors.js';
import type { LabApiErrorCode } from '../api/lab-errors.js';
import { processAlive, readState } from './state-file.js';
import type { LabState } from './state-file.js';

/** LabApi over HTTP to the lab `failover-lab up` runs from `labDir`. */
export class LabClient {
  private constructor(readonly state: LabState) {}

  static async connect(labDir: string): Promise<LabClient> {
    const state = await readState(labDir);
    if (!state) throw new LabApiError('not-found', `no running lab in ${labDir} (start one with \`failover-lab up\`, or pass --lab-dir)`);
    if (!processAlive(state.pid)) throw new LabApiError('not-found', `the lab in ${labDir} (pid ${state.pid}) is not running any more`);
    return new LabClient(state);
  }

  async invoke<C extends LabCommand>(command: C, payload: LabPayload<C> = {} as LabPayload<C>): Promise<LabResult<C>> {
    const response = await fetch(`${this.state.apiBase}/api/${command}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.state.token}` },
      body: JSON.stringify(payload),
    });
    const body = (await response.json()) as LabResponse<C>;
    if (body.ok) return body.result;
    const reason = (['bad-request', 'not-found', 'conflict', 'unsupported'] as const).find((r) => r === body.error.code) ?? 'failed';
    throw new LabApiError(reason as LabApiErrorCode, body.error.message);
  }
}
