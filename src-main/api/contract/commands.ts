import type { LabEvent } from './events.js';
import type { TimelineModel } from './timeline.js';
import type {
  BrokerStatus,
  BrowsedMessage,
  ClusterStatus,
  ConfigValidation,
  DurableSubscriptionRow,
  FaultResult,
  ScenarioRunView,
  ScenarioSummary,
  StoreInspection,
} from './views.js';

/**
 * The one typed contract between the lab host and every shell (Electron IPC, web mode, the CLI):
 * commands named `area/verb`, what each takes and what each answers, and the event union
 * (events.ts). Plain types and one list of names, no schema library: the sandboxed preload and the
 * renderer use it as it is. The zod schemas in ../lab-schemas.ts are checked against these payloads
 * by a type test.
 */

/** Every command; the preload, the IPC handlers and the web routes are made from this list. */
export const LAB_COMMAND_NAMES = [
  'cluster/create',
  'cluster/start',
  'cluster/stop',
  'cluster/destroy',
  'cluster/status',
  'cluster/supervise',
  'cluster/events',
  'cluster/add-broker',
  'cluster/timeline',
  'broker/start',
  'broker/stop',
  'broker/kill',
  'broker/pause',
  'broker/resume',
  'broker/restart',
  'fault/cut-link',
  'fault/heal-link',
  'fault/latency',
  'fault/db-restart',
  'fault/clock-offset',
  'fault/db-failure',
  'store/inspect',
  'store/save',
  'store/browse',
  'store/send',
  'store/purge',
  'store/subscriptions',
  'config/validate',
  'scenario/list',
  'scenario/run',
  'scenario/runs',
  'scenario/report-html',
] as const;

export type LabCommand = (typeof LAB_COMMAND_NAMES)[number];

export function isLabCommand(name: string): name is LabCommand {
  return (LAB_COMMAND_NAMES as readonly string[]).includes(name);
}

type Empty = Record<string, never>;
type BrokerOnly = { broker: string };

/**
 * What a caller sends; fields with a default may be left out (the defaults are in docs/lab.md and the
 * schemas). Broker names match `[A-Za-z0-9_.-]{1,64}`.
 */
export interface LabPayloads {
  'cluster/create': {
    /** Brokers from one template (ignored with `configXmls`); default 3, at most 9. */
    brokers?: number;
    /** `sqlite` (default), `pgmem` or a `postgres://` URL. */
    store?: string;
    /** One activemq.xml template for every broker; default: the built-in template. */
    configXml?: string;
    /** Its name in messages. */
    configName?: string;
    /** One activemq.xml per broker (broker1 gets the first). */
    configXmls?: string[];
    /** Built-in template only: the locker and its timings. */
    locker?: 'database-locker' | 'lease-database-locker';
    keepAliveMs?: number;
    lockAcquireSleepIntervalMs?: number;
    /** `-D key=value` for every broker. */
    properties?: Record<string, string>;
    durability?: 'normal' | 'full' | 'off';
    /** Restart a master that lost the lock (exit 3) as a slave; default true. */
    supervise?: boolean;
    /** Start the brokers right away; default false. */
    start?: boolean;
  };
  'cluster/start': Empty;
  'cluster/stop': Empty;
  'cluster/destroy': Empty;
  'cluster/status': Empty;
  'cluster/supervise': { enabled: boolean };
  'cluster/events': { afterSeq?: number };
  /** A new broker from the cluster's template, started as a slave when the cluster runs. */
  'cluster/add-broker': Empty;
  /** The current cluster's timeline, computed from the event log (the Timeline view draws it). */
  'cluster/timeline': Empty;
  'broker/start': BrokerOnly;
  'broker/stop': BrokerOnly;
  'broker/kill': BrokerOnly;
  'broker/pause': { broker: string; durationMs?: number };
  'broker/resume': BrokerOnly;
  'broker/restart': BrokerOnly;
  'fault/cut-link': { broker: string; mode?: 'reset' | 'blackhole' };
  'fault/heal-link': BrokerOnly;
  'fault/latency': { broker: string; latencyMs: number };
  'fault/db-restart': Empty;
  'fault/clock-offset': { broker: string; offsetMs: number };
  'fault/db-failure': { broker: string; failing?: boolean };
  'store/inspect': Empty;
  /** Saves the store: `file` inside the lab directory or a path the user chose in a save dialog; an existing file only with `overwrite`. */
  'store/save': { file: string; overwrite?: boolean };
  /** The waiting messages of a queue, browsed on the master (STOMP `browser:true`). */
  'store/browse': { destination: string; limit?: number };
  /** A SEND to the master, with a receipt (persistent unless said otherwise). */
  'store/send': { destination: string; body: string; headers?: Record<string, string>; persistent?: boolean };
  /** The master drops the queue's waiting messages (its control channel). */
  'store/purge': { destination: string };
  /** Durable topic subscriptions from ACTIVEMQ_ACKS. */
  'store/subscriptions': Empty;
  'config/validate': { xml: string; brokers?: number };
  'scenario/list': Empty;
  /** A scenario as YAML or JSON text (a built-in's `text` from scenario/list, or the user's own). */
  'scenario/run': { text: string; store?: string };
  'scenario/runs': Empty;
  'scenario/report-html': { runId: number };
}

export interface LabResults {
  'cluster/create': ClusterStatus;
  'cluster/start': ClusterStatus;
  'cluster/stop': ClusterStatus;
  'cluster/destroy': { destroyed: boolean };
  'cluster/status': ClusterStatus;
  'cluster/supervise': ClusterStatus;
  'cluster/events': { events: LabEvent[] };
  'cluster/add-broker': BrokerStatus;
  'cluster/timeline': TimelineModel;
  'broker/start': BrokerStatus;
  'broker/stop': BrokerStatus;
  'broker/kill': BrokerStatus;
  'broker/pause': BrokerStatus;
  'broker/resume': BrokerStatus;
  'broker/restart': BrokerStatus;
  'fault/cut-link': FaultResult;
  'fault/heal-link': FaultResult;
  'fault/latency': FaultResult;
  'fault/db-restart': FaultResult;
  'fault/clock-offset': FaultResult;
  'fault/db-failure': FaultResult;
  'store/inspect': StoreInspection;
  'store/save': { file: string };
  'store/browse': { destination: string; broker: string; messages: BrowsedMessage[]; truncated: boolean };
  'store/send': { destination: string; broker: string; receipt: string };
  'store/purge': { destination: string; broker: string; purged: number };
  'store/subscriptions': { subscriptions: DurableSubscriptionRow[] };
  'config/validate': ConfigValidation;
  'scenario/list': { scenarios: ScenarioSummary[] };
  'scenario/run': { runId: number; name: string };
  'scenario/runs': { runs: ScenarioRunView[] };
  'scenario/report-html': { html: string };
}

/** What a caller sends (defaults may be left out). */
export type LabPayload<C extends LabCommand> = LabPayloads[C];
export type LabResult<C extends LabCommand> = LabResults[C];

/** Every shell talks to the lab host through this. */
export interface LabApi {
  invoke<C extends LabCommand>(command: C, payload?: LabPayload<C>): Promise<LabResult<C>>;
  subscribe(listener: (event: LabEvent) => void): () => void;
}

/** `{ ok, result }` or `{ ok: false, error }`: what HTTP and IPC carry. */
export type LabResponse<C extends LabCommand = LabCommand> =
  | { ok: true; result: LabResult<C> }
  | { ok: false; error: { code: string; message: string } };

