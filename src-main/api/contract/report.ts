/**
 * A scenario run's JSON report (docs/report-schema.md), as LabApi carries it and `failover-lab test
 * --json` prints it: the Checker's result plus the run's facts. Stable for tools: fields are only
 * ever added. The Checker and the report builder produce these shapes; they are defined here only.
 */
import type { DualMasterInterval } from './timeline.js';
import type { FaultKind } from './views.js';

export interface Interval {
  from: number;
  to: number;
}

export type AnomalyKind = 'lost' | 'unexpected' | 'duplicated' | 'redelivered' | 'recovered' | 'reordered';

export interface Anomaly {
  kind: AnomalyKind;
  group: string | null;
  producer: string;
  seq: number;
  destination: string;
  detail: string;
}

export interface MessageVerdict {
  /** Sends that count as sent: every one but those of aborted transactions. */
  sent: number;
  /** Sends of ABORTed transactions: never sent, so a delivery of one is unexpected. */
  aborted: number;
  receipted: number;
  failed: number;
  indeterminate: number;
  delivered: number;
  /** Receipted, never delivered to a group that expected it. */
  lost: number;
  /** Delivered, never sent. */
  unexpected: number;
  /** Messages delivered more than once to one group... */
  duplicated: number;
  /** ...of which extra deliveries the broker flagged `redelivered:true`... */
  duplicatedFlagged: number;
  /** ...and extra deliveries it did not flag. */
  duplicatedUnflagged: number;
  /** Indeterminate (or failed) sends that were delivered after all. */
  recovered: number;
  /** Deliveries that came before a lower sequence of the same producer, where order is promised. */
  reordered: number;
}

export interface Outage extends Interval {
  durationMs: number;
}

/** One fault on the master and what followed, each time in ms after the fault (null: never seen). */
export interface FailoverTimeline {
  fault: FaultKind;
  broker: string | null;
  faultTs: number;
  oldMaster: string | null;
  oldMasterGoneMs: number | null;
  newMaster: string | null;
  newMasterLockMs: number | null;
  connectorsOpenMs: number | null;
  firstClientSuccessMs: number | null;
  /** Last receipt before the fault's outage to the first receipt after it. */
  clientGapMs: number | null;
}

export interface DualMaster {
  /** Overlapping `master` states reported by the brokers. */
  fromEvents: DualMasterInterval[];
  /** Times when two brokers' ports accepted connections. */
  fromPorts: DualMasterInterval[];
  totalMs: number;
}

export interface LockSegment extends Interval {
  holder: string | null;
}

/** The lock went from one broker to another; `fault` is the injected fault it followed, null when none did. */
export interface MasterChange {
  ts: number;
  from: string | null;
  to: string;
  fault: FaultKind | null;
}

export interface RateBucket {
  ts: number;
  sent: number;
  received: number;
}

/** The Checker's result: a pure function of the recorded history. */
export interface CheckResult {
  verdict: MessageVerdict;
  anomalies: Anomaly[];
  outages: Outage[];
  failovers: FailoverTimeline[];
  dualMaster: DualMaster;
  lock: LockSegment[];
  masterChanges: MasterChange[];
  rates: RateBucket[];
}

export interface Expectation {
  name: string;
  /** `max`: actual must be at most `limit`; `min`: at least. */
  kind: 'max' | 'min';
  limit: number;
  actual: number;
  passed: boolean;
}

export interface FaultRecord {
  ts: number;
  action: string;
  target: string;
  random: boolean;
  /** What the lab did, or why it could not. */
  detail: string;
  ok: boolean;
}

/** RSS of the lab host and every live broker, taken before a soak's fault. */
export interface MemorySample {
  /** Faults fired before this sample (0: before the first). */
  fault: number;
  ts: number;
  labRssMb: number;
  brokers: Array<{ name: string; pid: number; rssMb: number }>;
}

/** Growth from the sample at fault `fromFault` to the last one: a leak shows as growth that does not stop. */
export interface MemoryGrowth {
  fromFault: number;
  toFault: number;
  labRssMb: { from: number; to: number; growthPct: number };
  /** The largest live broker's RSS (brokers restart during a soak, so names and pids change). */
  brokerRssMb: { from: number; to: number; growthPct: number };
}

/** The JSON report (docs/report-schema.md); stable for tools: fields are only ever added. */
export interface ScenarioReport extends Omit<CheckResult, 'dualMaster'> {
  schema: 'failover-lab/scenario-report@1';
  scenario: { name: string; description: string };
  store: string;
  locker: string;
  brokers: number;
  seed: number | null;
  startedAt: number;
  endedAt: number;
  durationMs: number;
  passed: boolean;
  expectations: Expectation[];
  dualMasterMs: number;
  dualMaster: CheckResult['dualMaster'];
  faults: FaultRecord[];
  /** Soak runs only: RSS before each fault and at the end, and its growth after the warm-up. */
  memory?: { samples: MemorySample[]; growth: MemoryGrowth | null };
  clientEvents: Array<{ process: string; type: string; ts: number; uri: string | null; detail: string | null }>;
  notes: string[];
  /** Why the verdict looks as it does, in plain words (at-least-once repeats, a lease that expires between renewals...). */
  explanations: string[];
}
