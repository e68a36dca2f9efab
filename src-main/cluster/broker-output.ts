import { z } from 'zod';
import type { StatusLine } from '../../broker/server/index.js';

/**
 * Parses the JSON lines a broker prints on stdout (docs/cli.md): status, log and control replies.
 * The lab reads fields, never free text; a line that is not one of these is `unparsed` and kept
 * as a log line so nothing the broker says is lost.
 */

const Connector = z.object({ name: z.string(), uri: z.string(), boundUri: z.string(), port: z.number().int() });
const Lock = z.object({ holder: z.string().nullable(), epoch: z.number(), leaseExpiresAt: z.number().nullable() });

const StatusSchema = z.object({
  type: z.literal('status'),
  ts: z.number(),
  broker: z.string(),
  pid: z.number().int(),
  state: z.enum(['starting', 'waiting-for-lock', 'master', 'stopping', 'stopped']),
  role: z.enum(['starting', 'slave', 'master', 'stopping', 'stopped']),
  lock: Lock.nullable(),
  connectors: z.array(Connector),
  exitCode: z.number().int().optional(),
  reason: z.string().optional(),
});

const LogSchema = z.looseObject({ type: z.literal('log'), ts: z.number(), level: z.string(), msg: z.string() });
const ControlSchema = z.object({ type: z.literal('control'), ok: z.boolean(), cmd: z.string().optional(), error: z.string().optional(), result: z.record(z.string(), z.unknown()).optional() });

export type BrokerOutput =
  | { kind: 'status'; status: StatusLine }
  | { kind: 'log'; ts: number; level: string; msg: string; fields: Record<string, unknown> }
  | { kind: 'control'; ok: boolean; cmd: string | null; error: string | null; result: Record<string, unknown> | null }
  | { kind: 'unparsed'; text: string };

const LOG_KEYS = new Set(['type', 'ts', 'level', 'msg']);

export function parseBrokerLine(text: string): BrokerOutput {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'unparsed', text };
  }
  const status = StatusSchema.safeParse(json);
  if (status.success) return { kind: 'status', status: status.data as StatusLine };
  const log = LogSchema.safeParse(json);
  if (log.success) {
    const fields = Object.fromEntries(Object.entries(log.data).filter(([key]) => !LOG_KEYS.has(key)));
    return { kind: 'log', ts: log.data.ts, level: log.data.level, msg: log.data.msg, fields };
  }
  const control = ControlSchema.safeParse(json);
  if (control.success) return { kind: 'control', ok: control.data.ok, cmd: control.data.cmd ?? null, error: control.data.error ?? null, result: control.data.result ?? null };
  return { kind: 'unparsed', text };
}
