import { z } from 'zod';
import type { ControlRequestName, ControlResults } from '../../broker/server/index.js';
import { formatIssues } from '../util/index.js';

/**
 * The result each control request's reply must carry (broker/server's `ControlResults`), checked
 * when the reply arrives: the broker is another process, so its line is input like any other.
 */
export const CONTROL_RESULT_SCHEMAS: { [C in ControlRequestName]: z.ZodType<ControlResults[C]> } = {
  purge: z.object({ destination: z.string(), purged: z.number().int().min(0) }),
};

/** The typed result, or a sentence saying what is wrong with it. */
export function parseControlResult<C extends ControlRequestName>(cmd: C, result: unknown): ControlResults[C] | string {
  const parsed = CONTROL_RESULT_SCHEMAS[cmd].safeParse(result);
  if (parsed.success) return parsed.data as ControlResults[C];
  return `${cmd}: the broker's reply carries no valid result (${formatIssues(parsed.error.issues, 'result')})`;
}
