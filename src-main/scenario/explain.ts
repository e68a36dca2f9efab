import type { CheckResult } from './checker.js';
import type { History } from './history.js';
import type { FaultRecord } from './report.js';
import type { Scenario } from './scenario-format.js';

/**
 * The verdict in plain words: why the anomalies the Checker found happen, and what a user should do
 * about them. Each sentence is only said when the run showed what it is about.
 */
export function explain(scenario: Scenario, store: string, history: History, result: CheckResult, faults: readonly FaultRecord[]): string[] {
  const v = result.verdict;
  const out: string[] = [];
  if (v.lost > 0) {
    out.push(
      scenario.workload.persistent
        ? `${v.lost} receipted message(s) never arrived: the broker confirmed them stored and they are gone. A JDBC Master/Slave cluster must never do this.`
        : `${v.lost} receipted message(s) never arrived. They were sent with persistent:false: such messages live only in the master's memory and a failover loses them by design.`,
    );
  }
  if (v.duplicatedUnflagged > 0) {
    const same = sameMessageIdRepeats(history);
    out.push(
      `${v.duplicatedUnflagged} extra deliveries came without redelivered:true. A consumer had received these messages, but its ACK had not been stored when the master went away; ` +
        'the new master knows only the database, where they are still unacknowledged, so it delivers them as if new. ActiveMQ does the same: ' +
        'JDBC Master/Slave delivers at least once. Consumers must be idempotent, or remember what they processed and skip repeats ' +
        `by message-id${same.total > 0 ? ` (${same.same} of ${same.total} repeats here carried the message-id of the first delivery)` : ''} or by producer-id + producer-seq.`,
    );
  }
  if (v.duplicatedFlagged > 0) {
    out.push(`${v.duplicatedFlagged} extra deliveries carried redelivered:true: the broker knew it had handed them out before (a NACK, or a consumer that left without ACK). Same advice: process idempotently.`);
  }
  if (v.unexpected > 0) out.push(`${v.unexpected} deliveries were never sent (or sent in an aborted transaction): a broker delivered something it must not have.`);
  const unprovoked = result.masterChanges.filter((c) => c.fault === null);
  const c = scenario.cluster;
  const leaseGap = c.locker === 'lease-database-locker' && c.configXml === undefined && c.keepAliveMs >= c.lockAcquireSleepIntervalMs;
  if (unprovoked.length > 0) {
    const interruptions = history.entries.filter((e) => e.type === 'client' && e.event.type === 'interrupted').length;
    const longest = result.outages.reduce((n, o) => Math.max(n, o.durationMs), 0);
    const cost = `${interruptions} client interruption(s)${longest > 0 ? `, the longest outage ${longest} ms` : ', none longer than 250 ms'}`;
    out.push(
      leaseGap
        ? `The lock changed hands ${unprovoked.length} time(s) without any fault: the lease lasts ${c.lockAcquireSleepIntervalMs} ms but is renewed only every ${c.keepAliveMs} ms (lockKeepAlivePeriod), ` +
            "so it expires between renewals and a slave takes it. ActiveMQ's LeaseDatabaseLocker keeps serving until its next keep-alive, so there the old and the new master " +
            `both serve (2-3 masters at once were measured). Ours stop at their local lease deadline and every store write checks the lock's epoch (fencing), so dual master is ${result.dualMaster.totalMs} ms; ` +
            `the cost is a master change every lease period: ${cost}. Fix the configuration: lockKeepAlivePeriod well below the lease.`
        : `The lock changed hands ${unprovoked.length} time(s) without any fault (${cost}).`,
    );
  } else if (leaseGap) {
    out.push(`lockKeepAlivePeriod ${c.keepAliveMs} ms is not below the ${c.lockAcquireSleepIntervalMs} ms lease: the lease can expire between renewals.`);
  }
  if (faults.some((f) => f.ok && f.action === 'clock-offset') && result.masterChanges.length === 0 && c.locker === 'lease-database-locker') {
    out.push(
      store === 'sqlite'
        ? 'The clock offset changed nothing: no broker took a lease it believed expired.'
        : 'The clock offset changed nothing: on a PostgreSQL-protocol store the lease time comes from the database clock, which a broker clock offset does not move.',
    );
  }
  if (result.dualMaster.totalMs > 0) {
    out.push(
      `Two brokers acted as master for ${result.dualMaster.totalMs} ms (${result.dualMaster.fromEvents.length} interval(s) from the brokers' states, ${result.dualMaster.fromPorts.length} from ports that answered CONNECT). ` +
        'Clients on either could send and receive: split brain.',
    );
  }
  for (const f of faults.filter((x) => !x.ok && !x.random)) out.push(`The ${f.action} of ${f.target} was not done (${f.detail}): the verdict says nothing about it.`);
  return out;
}

/** Repeated deliveries (per group) whose message-id equals the first delivery's. */
function sameMessageIdRepeats(history: History): { same: number; total: number } {
  const first = new Map<string, string | undefined>();
  let same = 0;
  let total = 0;
  for (const e of history.entries) {
    if (e.type !== 'deliver') continue;
    const k = `${e.group}|${e.producer}#${e.seq}`;
    if (!first.has(k)) {
      first.set(k, e.messageId);
      continue;
    }
    if (e.messageId === undefined) continue;
    total++;
    if (first.get(k) === e.messageId) same++;
  }
  return { same, total };
}
