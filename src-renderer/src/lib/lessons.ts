import type { ClusterStatus, LabEvent } from '../../../src-main/api/contract/index.js';

export interface LessonContext {
  status: ClusterStatus | null;
  /** Events since the step began. */
  events: readonly LabEvent[];
  /** The master when the step began. */
  masterAtStart: string | null;
}

export interface LessonStep {
  id: string;
  title: string;
  text: string;
  /** What the user should do, in one line. */
  todo: string;
  /** Null when done; else what is still missing. */
  check(ctx: LessonContext): string | null;
}

const masterOf = (s: ClusterStatus | null) => s?.brokers.find((b) => b.role === 'master')?.name ?? null;
const becameMaster = (events: readonly LabEvent[], except: string | null) =>
  events.find((e) => e.type === 'broker-state' && e.role === 'master' && e.broker !== except);

/** The seed's three pictures, then the lease locker, a paused master and a lost database link. */
export const LESSONS: readonly LessonStep[] = [
  {
    id: 'startup',
    title: '1. Startup: one master, the others wait',
    text: 'Every broker connects to the same database and asks for the exclusive lock on ACTIVEMQ_LOCK. The first one gets it, becomes master and opens its transport connectors; the others become slaves: they open no port and keep asking for the lock.',
    todo: 'Create a cluster of 3 brokers (Cluster view, or the button).',
    check: ({ status }) => {
      if (!status) return 'no cluster yet';
      const roles = status.brokers.map((b) => b.role);
      if (roles.filter((r) => r === 'master').length !== 1) return 'waiting for exactly one master';
      if (!roles.some((r) => r === 'slave')) return 'waiting for a slave';
      return null;
    },
  },
  {
    id: 'master-failed',
    title: '2. Master failed: a slave takes over',
    text: 'When the master dies its database connection goes with it, and the database releases the lock. A slave gets the lock on its next try, becomes master, opens its connectors and serves the persisted messages. Failover clients reconnect to it.',
    todo: 'Kill -9 the master.',
    check: ({ events, masterAtStart }) => {
      if (!masterAtStart) return 'there is no master to kill: finish step 1';
      const killed = events.some((e) => e.type === 'broker-state' && e.broker === masterAtStart && (e.role === 'stopped' || e.signal === 'SIGKILL'));
      if (!killed) return `${masterAtStart} still runs`;
      return becameMaster(events, masterAtStart) ? null : 'waiting for a slave to take the lock';
    },
  },
  {
    id: 'master-restarted',
    title: '3. Master restarted: it comes back as a slave',
    text: 'Start the old master again. The lock is held by the new master, so the old one joins as a slave and waits. Nothing moves back: there is no preferred master in JDBC Master/Slave.',
    todo: 'Start the stopped broker.',
    check: ({ status, events }) => {
      const started = events.find((e) => e.type === 'broker-state' && e.role === 'slave');
      if (!started) return 'waiting for a broker to rejoin as a slave';
      return status && status.brokers.filter((b) => b.role === 'master').length === 1 ? null : 'waiting for exactly one master';
    },
  },
  {
    id: 'lease',
    title: '4. The lease locker',
    text: 'lease-database-locker writes the holder and an expiry time into ACTIVEMQ_LOCK and renews it every lockKeepAlivePeriod. A slave may take the row only when the lease has expired: failover waits for the lease, and the renewal period must be shorter than the lease (lockAcquireSleepInterval).',
    todo: 'Destroy the cluster and create one with the lease-database-locker (Cluster view form, or the button).',
    check: ({ status }) => {
      if (status?.lockerKind !== 'lease-database-locker') return 'the cluster uses the database-locker';
      return status.lock?.leaseExpiresAt ? null : 'waiting for a master to write its lease';
    },
  },
  {
    id: 'paused',
    title: '5. A paused master',
    text: 'A paused process (a long GC, a frozen VM) does not die: its connection stays open. With a lease, the lease runs out, a slave takes the lock, and the old master, once it wakes, sees its deadline passed and fences itself instead of serving as a second master.',
    todo: 'Pause the master for longer than its lease, then resume it.',
    check: ({ events, masterAtStart }) => {
      const paused = events.some((e) => e.type === 'broker-state' && e.role === 'paused');
      if (!paused) return 'no broker paused yet';
      return becameMaster(events, masterAtStart) ? null : 'waiting for another broker to take the lock';
    },
  },
  {
    id: 'link',
    title: '6. A lost database link',
    text: 'The master is alive but cannot reach the database. It cannot renew, so it must stop serving ("no longer able to keep the exclusive lock so giving up being a master"); a slave that still reaches the database takes over. On SQLite the lab simulates it in the broker\'s store layer.',
    todo: 'Cut the master\'s DB link (pg-mem/PostgreSQL) or fail its DB (SQLite).',
    check: ({ events, masterAtStart }) => {
      const cut = events.some((e) => e.type === 'fault' && (e.fault === 'cut-link' || e.fault === 'db-failure') && e.phase === 'injected');
      if (!cut) return 'no link cut yet';
      return becameMaster(events, masterAtStart) ? null : 'waiting for another broker to take the lock';
    },
  },
];

export { masterOf };
