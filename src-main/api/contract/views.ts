/**
 * What the lab host shows of itself over LabApi: clusters, brokers, the lock store, config checks and
 * scenario runs. Plain data, defined here and nowhere else; the implementations build these shapes
 * (the compiler checks them where they do), so the renderer never imports an implementation file.
 */
import type { ScenarioReport } from './report.js';

/** `role` as `failover-lab status --json` shows it; `paused` overlays the broker's own state. */
export type LabRole = 'starting' | 'slave' | 'master' | 'stopping' | 'stopped' | 'paused';

export interface ConnectorView {
  name: string;
  uri: string;
  /** Where it listens when open (master); the assigned port otherwise. */
  port: number;
}

export interface LockView {
  holder: string | null;
  epoch: number;
  /** Lease expiry (epoch ms, database time); null for the `database-locker`. */
  leaseExpiresAt: number | null;
}

export type FaultKind =
  | 'kill'
  | 'terminate'
  | 'pause'
  | 'resume'
  | 'restart'
  | 'cut-link'
  | 'heal-link'
  | 'latency'
  | 'db-restart'
  | 'db-failure'
  | 'clock-offset'
  | 'supervisor-restart';

/** A scenario run's counters (the ScenarioRunner reports these). */
export interface ScenarioProgressView {
  phase: 'starting' | 'running' | 'draining' | 'checking' | 'done';
  elapsedMs: number;
  /** Messages to send in all; 0 for a soak, which sends until its last fault is over. */
  total: number;
  sent: number;
  receipted: number;
  delivered: number;
  faults: number;
}

/** How a broker's process last ended. */
export interface ExitView {
  code: number | null;
  signal: string | null;
}

/** A broker's database link through the lab's proxy (PostgreSQL-protocol stores). */
export interface LinkView {
  state: 'up' | 'cut' | 'slow';
  mode: 'reset' | 'blackhole' | null;
  latencyMs: number;
}

export interface BrokerStatus {
  name: string;
  role: LabRole;
  pid: number | null;
  connectors: ConnectorView[];
  lock: LockView | null;
  clockOffsetMs: number;
  /** How the last process ended; null while it runs or before it ever ran. */
  lastExit: ExitView | null;
  configFile: string;
  link: LinkView | null;
}

export type LockerKindView = 'database-locker' | 'lease-database-locker';

export interface ClusterStatus {
  id: string;
  dir: string;
  store: { kind: string; location: string; limits: readonly string[]; linkProxies: boolean };
  lockerKind: LockerKindView;
  supervise: boolean;
  brokers: BrokerStatus[];
  lock: LockView | null;
}

/** Row 1 of `ACTIVEMQ_LOCK` as read. */
export interface LockRow {
  /** `BROKER_NAME` (the holder id), null when nobody holds it. */
  holder: string | null;
  /** `TIME`: the lease expiry for the lease locker, the last keep-alive for the database-locker. */
  time: number | null;
  epoch: number;
}

/** One durable topic subscription as `ACTIVEMQ_ACKS` holds it. */
export interface DurableSubscriptionRow {
  /** `CONTAINER`: the topic, e.g. `topic://prices`. */
  destination: string;
  clientId: string;
  subscriptionName: string;
  selector: string | null;
  lastAckedId: number;
  /** Stored messages of the topic after `LAST_ACKED_ID`: what it still owes. */
  pending: number;
}

/** A message browsed on the master (`store/browse`). */
export interface BrowsedMessage {
  messageId: string;
  /** The body as UTF-8, cut to 2000 characters. */
  body: string;
  bodyBytes: number;
  persistent: boolean;
  priority: number | null;
  timestamp: number | null;
  redelivered: boolean;
  /** Every other header (user properties included). */
  headers: Record<string, string>;
}

export interface StoreInspection {
  kind: string;
  location: string;
  limits: readonly string[];
  /** Row 1 of ACTIVEMQ_LOCK as read; null before the brokers created it. */
  lockRow: LockRow | null;
  lock: LockView | null;
  queues: Array<{ destination: string; depth: number }>;
}

export interface FaultResult {
  fault: FaultKind;
  broker: string | null;
  detail: string;
  simulated: boolean;
}

/** A positioned finding of the config loader (broker/config's `Diagnostic`). */
export interface ConfigDiagnostic {
  severity: 'error' | 'warning' | 'info';
  message: string;
  line: number;
  column: number;
  /** Element path from the root, e.g. `beans/broker/persistenceAdapter/jdbcPersistenceAdapter`. */
  path: string;
  /** Stable identifier of the rule that produced it, e.g. `lease-renewed-less-often-than-it-lasts`. */
  code: string;
}

/** What only shows across the brokers of one template (broker/config's `ClusterDiagnostic`). */
export interface ClusterConfigDiagnostic {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  brokers: number[];
}

export interface ConfigValidation {
  ok: boolean;
  diagnostics: readonly ConfigDiagnostic[];
  cluster: readonly ClusterConfigDiagnostic[];
}

export interface ScenarioRunView {
  runId: number;
  name: string;
  store: string | null;
  startedAt: number;
  state: 'running' | 'passed' | 'failed' | 'broken';
  progress: ScenarioProgressView | null;
  /** The verdict's lines, once done. */
  verdict: string | null;
  report: ScenarioReport | null;
  error: string | null;
}

export interface ScenarioSummary {
  name: string;
  description: string;
  text: string;
}
