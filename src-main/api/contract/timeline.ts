import type { Interval } from './report.js';
import type { FaultKind, LabRole } from './views.js';

/** Two or more brokers acting as master at once, naming every one involved. */
export interface DualMasterInterval extends Interval {
  brokers: string[];
}

/** The lock's holder or epoch changed (ACTIVEMQ_LOCK as the lab read it, or the master's claim). */
export interface LockChange {
  ts: number;
  holder: string | null;
  epoch: number;
}

export interface RoleSegment extends Interval {
  role: LabRole;
}

/** `cluster/timeline`: the current cluster's history as the Timeline view draws it. */
export interface TimelineModel {
  start: number;
  /** The lab host's time when computed: open segments end here. */
  end: number;
  lanes: Array<{ broker: string; segments: RoleSegment[] }>;
  /** Lock holder changes as the lab read them (`lock` events). */
  holders: LockChange[];
  faults: Array<{ ts: number; fault: FaultKind; phase: 'injected' | 'effect' | 'healed'; broker: string | null; detail: string }>;
  /** Intervals in which two or more brokers reported `master` (as the Checker counts them). */
  dualMaster: DualMasterInterval[];
  /** Client-observed outages of scenario runs (no successful operation for longer than the threshold). */
  outages: Array<{ from: number; to: number; durationMs: number; runId: number }>;
}
