import { z } from 'zod';
import { isLabCommand } from './contract/index.js';
import type { LabCommand, LabPayloads, LabResult } from './contract/index.js';
import { formatIssues } from '../util/index.js';
import { LabApiError } from './lab-errors.js';

/**
 * The zod schema of every LabApi payload (the contract's `LabPayloads`, with limits and defaults).
 * Each shell validates once, with `parsePayload`: the LabService for web mode, the CLI and in-process
 * callers, the IPC adapter for Electron (which then calls the service's `run`, past validation).
 */

const BrokerName = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'a broker name such as broker1');
const Broker = z.strictObject({ broker: BrokerName });
const Empty = z.strictObject({});
const QueueName = z.string().regex(/^\/queue\/[^,*>\s]{1,200}$/, 'a queue such as /queue/orders (no wildcards, no composites)');
const DestinationName = z.string().regex(/^\/(queue|topic)\/[^,*>\s]{1,200}$/, 'a destination such as /queue/orders or /topic/prices');
/** User headers of a SEND: the frame's own headers are the lab's to set. */
const HeaderName = z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/).refine((h) => !['destination', 'receipt', 'transaction', 'content-length', 'content-type', 'persistent'].includes(h), 'destination, receipt, transaction, content-length, content-type and persistent are set by the lab');
const Store = z
  .string()
  .refine((s) => s === 'sqlite' || s === 'pgmem' || /^postgres(ql)?:\/\/\S+$/.test(s), 'store must be sqlite, pgmem or a postgres:// URL');

export const LabCommandSchemas = {
  'cluster/create': z.strictObject({
    /** Brokers from one template (ignored with `configXmls`). */
    brokers: z.number().int().min(1).max(9).default(3),
    store: Store.default('sqlite'),
    /** One activemq.xml template for every broker; default: the built-in template. */
    configXml: z.string().min(1).optional(),
    /** Its name in messages. */
    configName: z.string().optional(),
    /** One activemq.xml per broker (broker1 gets the first). */
    configXmls: z.array(z.string().min(1)).min(1).max(9).optional(),
    /** Built-in template only: the locker and its timings. */
    locker: z.enum(['database-locker', 'lease-database-locker']).default('database-locker'),
    keepAliveMs: z.number().int().min(0).max(600_000).default(1000),
    lockAcquireSleepIntervalMs: z.number().int().min(1).max(600_000).default(1000),
    /** `-D key=value` for every broker. */
    properties: z.record(z.string(), z.string()).default({}),
    durability: z.enum(['normal', 'full', 'off']).default('normal'),
    /** Restart a master that lost the lock (exit 3) as a slave. */
    supervise: z.boolean().default(true),
    /** Start the brokers right away. */
    start: z.boolean().default(false),
  }),
  'cluster/start': Empty,
  'cluster/stop': Empty,
  'cluster/destroy': Empty,
  'cluster/status': Empty,
  'cluster/supervise': z.strictObject({ enabled: z.boolean() }),
  'cluster/events': z.strictObject({ afterSeq: z.number().int().min(0).default(0) }),
  /** A new broker from the cluster's template, started as a slave when the cluster runs. */
  'cluster/add-broker': Empty,
  'cluster/timeline': Empty,
  'broker/start': Broker,
  'broker/stop': Broker,
  'broker/kill': Broker,
  'broker/pause': z.strictObject({ broker: BrokerName, durationMs: z.number().int().min(1).max(3_600_000).optional() }),
  'broker/resume': Broker,
  'broker/restart': Broker,
  'fault/cut-link': z.strictObject({ broker: BrokerName, mode: z.enum(['reset', 'blackhole']).default('blackhole') }),
  'fault/heal-link': Broker,
  'fault/latency': z.strictObject({ broker: BrokerName, latencyMs: z.number().int().min(0).max(60_000) }),
  'fault/db-restart': Empty,
  'fault/clock-offset': z.strictObject({ broker: BrokerName, offsetMs: z.number().int().min(-86_400_000).max(86_400_000) }),
  'fault/db-failure': z.strictObject({ broker: BrokerName, failing: z.boolean().default(true) }),
  'store/inspect': Empty,
  /** pg-mem to a file in the lab directory (or one the user chose in a save dialog); replaces a file only with overwrite. */
  'store/save': z.strictObject({ file: z.string().min(1).max(4096), overwrite: z.boolean().default(false) }),
  /** The waiting messages of a queue, browsed on the master (STOMP `browser:true`). */
  'store/browse': z.strictObject({ destination: QueueName, limit: z.number().int().min(1).max(1000).default(100) }),
  /** A SEND to the master, with a receipt (persistent unless said otherwise). */
  'store/send': z.strictObject({
    destination: DestinationName,
    body: z.string().max(1_000_000),
    headers: z.record(HeaderName, z.string().max(10_000)).default({}),
    persistent: z.boolean().default(true),
  }),
  /** The master drops the queue's waiting messages (its control channel). */
  'store/purge': z.strictObject({ destination: QueueName }),
  /** Durable topic subscriptions from ACTIVEMQ_ACKS. */
  'store/subscriptions': Empty,
  'config/validate': z.strictObject({ xml: z.string(), brokers: z.number().int().min(1).max(9).default(3) }),
  'scenario/list': Empty,
  /** A scenario as YAML or JSON text (a built-in's `text` from scenario/list, or the user's own). */
  'scenario/run': z.strictObject({ text: z.string().min(1).max(200_000), store: Store.optional() }),
  'scenario/runs': Empty,
  'scenario/report-html': z.strictObject({ runId: z.number().int().min(1) }),
} as const satisfies { [C in LabCommand]: z.ZodType<unknown, LabPayloads[C]> };

/** What the service works with after validation (defaults filled in). */
export type LabParsedPayload<C extends LabCommand> = z.output<(typeof LabCommandSchemas)[C]>;

/** The service behind a shell that validated the payload already. */
export interface LabRunner {
  run<C extends LabCommand>(command: C, payload: LabParsedPayload<C>): Promise<LabResult<C>>;
}

/** The payload with its defaults, or a `bad-request` LabApiError naming the command and each problem. */
export function parsePayload<C extends LabCommand>(command: C, payload: unknown): LabParsedPayload<C> {
  if (!isLabCommand(command)) throw new LabApiError('not-found', `unknown command "${String(command)}"`);
  const parsed = (LabCommandSchemas[command] as z.ZodType).safeParse(payload ?? {});
  if (!parsed.success) throw new LabApiError('bad-request', `${command}: ${formatIssues(parsed.error.issues)}`);
  return parsed.data as LabParsedPayload<C>;
}
