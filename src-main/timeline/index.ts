/**
 * The lab's timeline, computed once, in the lab host, from the event log: mastership claims and
 * dual master, lock holders and segments, role lanes. The Checker's verdict and the Timeline view
 * (through `cluster/timeline` and `dual-master` events) both come from here.
 */
export { intervalMs, mergeIntervals } from './intervals.js';
export { lockChanges, lockSegments } from './lock.js';
export { acceptingClaims, byTime, currentDualMaster, dualMasterFromEvents, masterClaims, overlaps } from './mastership.js';
export type { Claim, PortProbe } from './mastership.js';
export { buildTimeline, currentClusterEvents } from './timeline-model.js';
export { watchDualMaster } from './dual-master-watch.js';
