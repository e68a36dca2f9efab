import type { History } from './history.js';
import { checkMessages } from './message-check.js';
import type { Anomaly, MessageVerdict } from './message-check.js';
import { dualMaster, failoverTimelines, findOutages, lockSegments, masterChanges, rates } from './timeline-check.js';
import type { DualMaster, FailoverTimeline, LockSegment, MasterChange, Outage, RateBucket } from './timeline-check.js';

export type { Anomaly, MessageVerdict, DualMaster, FailoverTimeline, LockSegment, MasterChange, Outage, RateBucket };

export interface CheckerOptions {
  /** A window without any successful operation longer than this is an outage. */
  outageThresholdMs?: number;
  rateBucketMs?: number;
}

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

/** The Checker: a pure function of the recorded history. */
export function check(history: History, options: CheckerOptions = {}): CheckResult {
  const { verdict, anomalies } = checkMessages(history);
  return {
    verdict,
    anomalies,
    outages: findOutages(history, options.outageThresholdMs ?? 250),
    failovers: failoverTimelines(history),
    dualMaster: dualMaster(history),
    lock: lockSegments(history),
    masterChanges: masterChanges(history),
    rates: rates(history, options.rateBucketMs ?? 250),
  };
}
