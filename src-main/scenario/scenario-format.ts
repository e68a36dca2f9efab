import { LineCounter, parseDocument, isNode } from 'yaml';
import { z } from 'zod';

/**
 * A scenario is data (YAML or JSON; JSON is read by the same YAML parser so both get positioned
 * errors): the cluster, the workload, a fault schedule, random faults, and the expectations.
 */

const Target = z.string().regex(/^(master|slave|broker[1-9])$/, 'master, slave or broker1..9');
const Duration = z.number().int().min(1).max(3_600_000);

const FaultAction = z.enum(['kill', 'stop', 'start', 'restart', 'pause', 'resume', 'cut-link', 'heal-link', 'db-restart', 'db-failure', 'clock-offset', 'latency']);

const Fault = z
  .strictObject({
    /** Ms after the workload started. */
    atMs: z.number().int().min(0).optional(),
    /** After this many messages were sent (all producers together). */
    afterMessages: z.number().int().min(1).optional(),
    action: FaultAction,
    target: Target.default('master'),
    /** pause, cut-link, db-failure, latency: undone after this long. */
    durationMs: Duration.optional(),
    offsetMs: z.number().int().min(-86_400_000).max(86_400_000).optional(),
    mode: z.enum(['reset', 'blackhole']).optional(),
    /** latency: added to the database link each way, for `durationMs` (or until the run ends). */
    latencyMs: z.number().int().min(1).max(60_000).optional(),
  })
  .refine((f) => (f.atMs === undefined) !== (f.afterMessages === undefined), 'give exactly one of atMs and afterMessages')
  .refine((f) => f.action !== 'clock-offset' || f.offsetMs !== undefined, 'clock-offset needs offsetMs');

const Workload = z
  .strictObject({
    destination: z.string().regex(/^\/(queue|topic)\/\S+$/, '/queue/NAME or /topic/NAME').default('/queue/failover'),
    producers: z.number().int().min(1).max(50).default(1),
    consumers: z.number().int().min(0).max(50).default(1),
    /** Topic only: each consumer is a durable subscriber (client-id + activemq.subscriptionName). */
    durable: z.boolean().default(false),
    ack: z.enum(['auto', 'client', 'client-individual']).default('client-individual'),
    persistent: z.boolean().default(true),
    messageSize: z.number().int().min(1).max(1_048_576).default(100),
    /** Messages in all (split over the producers). */
    count: z.number().int().min(1).max(10_000_000).default(500),
    /** Messages per second per producer; 0: as fast as `inFlight` allows. */
    ratePerSec: z.number().min(0).max(100_000).default(200),
    /** Unreceipted sends per producer at most. */
    inFlight: z.number().int().min(1).max(10_000).default(10),
    /** Consumers start after every message was sent (a backlog); durable subscribers subscribe first, then go offline. */
    consumeAfterSend: z.boolean().default(false),
    /** Producers send in transactions: BEGIN, `size` SENDs, COMMIT; every `abortEvery`-th one is ABORTed instead. */
    transactions: z
      .strictObject({
        size: z.number().int().min(1).max(10_000).default(10),
        /** 0: never abort. */
        abortEvery: z.number().int().min(0).max(1_000_000).default(0),
      })
      .optional(),
  })
  .superRefine((w, ctx) => {
    if (w.durable && !w.destination.startsWith('/topic/')) {
      ctx.addIssue({ code: 'custom', path: ['durable'], message: `durable subscribers need a /topic/ destination, not ${w.destination}` });
    }
    if (w.durable && w.consumers === 0) ctx.addIssue({ code: 'custom', path: ['durable'], message: 'durable subscribers need consumers >= 1' });
    if (w.transactions?.abortEvery === 1) {
      ctx.addIssue({ code: 'custom', path: ['transactions', 'abortEvery'], message: 'abortEvery 1 aborts every transaction: nothing would ever be stored (0 never aborts, 2 every other one)' });
    }
  });

/**
 * An endurance run: `faults` faults, one every `intervalMs`, each drawn from `actions` (default: every
 * kind the store allows) with the seed; the producers keep sending until the last one is over.
 */
const Soak = z.strictObject({
  faults: z.number().int().min(1).max(10_000),
  seed: z.number().int().default(1),
  intervalMs: z.number().int().min(100).max(600_000).default(3000),
  /** How long a pause, cut link, latency or simulated database failure lasts; a killed or stopped broker comes back after it. */
  durationMs: Duration.default(1000),
  latencyMs: z.number().int().min(1).max(60_000).default(100),
  actions: z.array(FaultAction).min(1).optional(),
  /** The first fault, ms after the workload started. */
  fromMs: z.number().int().min(0).default(2000),
});

export const ScenarioSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a name such as master-failed'),
  description: z.string().default(''),
  cluster: z
    .strictObject({
      brokers: z.number().int().min(1).max(9).default(2),
      store: z.string().default('sqlite'),
      locker: z.enum(['database-locker', 'lease-database-locker']).default('database-locker'),
      keepAliveMs: z.number().int().min(0).max(600_000).default(1000),
      lockAcquireSleepIntervalMs: z.number().int().min(1).max(600_000).default(1000),
      /** An activemq.xml template instead of the built-in one. */
      configXml: z.string().min(1).optional(),
      supervise: z.boolean().default(true),
    })
    .prefault({}),
  /** Failover URI options for every client (the lab fills in the brokers). */
  client: z
    .strictObject({
      options: z.string().default('randomize=false&initialReconnectDelay=10&maxReconnectDelay=500&nested.connectionTimeout=2000&nested.wireFormat.maxInactivityDuration=1000'),
    })
    .prefault({}),
  workload: Workload.prefault({}),
  /** More workloads at the same time (a durable topic beside a queue, say); process names get a `w2.` prefix. */
  moreWorkloads: z.array(Workload).max(5).default([]),
  faults: z.array(Fault).default([]),
  random: z
    .strictObject({
      seed: z.number().int().default(1),
      count: z.number().int().min(1).max(100),
      actions: z.array(FaultAction).min(1).default(['kill']),
      /** Faults fall between these times (ms after the start). */
      fromMs: z.number().int().min(0).default(1000),
      toMs: z.number().int().min(1),
      durationMs: Duration.default(2000),
    })
    .optional(),
  soak: Soak.optional(),
  /** After the last send: how long consumers may take to receive everything. */
  drainMs: Duration.default(15_000),
  /** The run stops sending after this long even if `count` was not reached. */
  maxDurationMs: Duration.default(120_000),
  /** Each a maximum, except `minFailovers`. */
  expect: z
    .strictObject({
      lost: z.number().int().min(0).optional(),
      duplicated: z.number().int().min(0).optional(),
      duplicatedUnflagged: z.number().int().min(0).optional(),
      unexpected: z.number().int().min(0).optional(),
      reordered: z.number().int().min(0).optional(),
      dualMasterMs: z.number().min(0).optional(),
      clientGapMs: z.number().min(0).optional(),
      minFailovers: z.number().int().min(0).optional(),
      /** Lock changes that no injected fault explains (a lease expiring between renewals). */
      masterChangesWithoutFault: z.number().int().min(0).optional(),
    })
    .default({ lost: 0, unexpected: 0, dualMasterMs: 0 }),
});

export type Scenario = z.output<typeof ScenarioSchema>;
export type ScenarioInput = z.input<typeof ScenarioSchema>;
export type ScenarioFault = Scenario['faults'][number];
export type FaultActionName = z.output<typeof FaultAction>;

export interface ScenarioDiagnostic {
  line: number;
  column: number;
  path: string;
  message: string;
}

export type ParsedScenario = { ok: true; scenario: Scenario } | { ok: false; diagnostics: ScenarioDiagnostic[] };

/** Parses and validates; every error carries the line and column of the value it is about. */
export function parseScenario(text: string): ParsedScenario {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      diagnostics: doc.errors.map((e) => {
        const pos = lines.linePos(e.pos[0]);
        return { line: pos.line, column: pos.col, path: '', message: e.message.split('\n')[0]! };
      }),
    };
  }
  const result = ScenarioSchema.safeParse(doc.toJS());
  if (result.success) return { ok: true, scenario: result.data };
  return {
    ok: false,
    diagnostics: result.error.issues.map((issue) => {
      const path = issue.path.map(String);
      const offset = nodeOffset(doc, issue.path as Array<string | number>);
      const pos = lines.linePos(offset);
      return { line: pos.line, column: pos.col, path: path.join('.'), message: issue.message };
    }),
  };
}

/** The offset of the deepest node of `path` that exists (an unknown key points at its parent). */
function nodeOffset(doc: ReturnType<typeof parseDocument>, path: Array<string | number>): number {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return 0;
}

export function formatDiagnostics(file: string, diagnostics: readonly ScenarioDiagnostic[]): string {
  return diagnostics.map((d) => `${file}:${d.line}:${d.column} error ${d.path ? `${d.path}: ` : ''}${d.message}`).join('\n');
}
