import type { History } from './history.js';
import { checkMessages } from './message-check.js';
import type { Anomaly, MessageVerdict } from './message-check.js';
import { dualMaster, failoverTimelines, findOutages, lockSegments, masterChanges, rates } from './timeline-check.js';
import type { CheckResult, DualMaster, FailoverTimeline, LockSegment, MasterChange, Outage, RateBucket } from '../api/contract/index.js';

export type { Anomaly, CheckResult, MessageVerdict, DualMaster, FailoverTimeline, LockSegment, MasterChange, Outage, RateBucket };

export interface CheckerOptions {
  /** A window without any successful operation longer than this is an outage. */
  outageThresholdMs?: number;
  rateBucketMs?: number;
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
