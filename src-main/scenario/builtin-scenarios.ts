import type { ScenarioInput } from './scenario-format.js';

/**
 * The built-in scenarios (docs/scenarios.md explains each): the seed's three pictures, ActiveMQ's
 * QueueMasterSlaveTest, and the field problems that JDBC Master/Slave users meet.
 */
/** After a kill -9, messages a consumer had received but whose ACK was not yet stored come again (at-least-once): reported, not failed. */
const NO_LOSS = { lost: 0, unexpected: 0, dualMasterMs: 0, minFailovers: 1 };
const LEASE = { locker: 'lease-database-locker', keepAliveMs: 1000, lockAcquireSleepIntervalMs: 2000 } as const;

export const BUILTIN_SCENARIOS: readonly ScenarioInput[] = [
  {
    name: 'startup',
    description: 'Three brokers start on one database: one takes the lock and opens its port, the others wait as slaves; a client sends and receives 200 messages.',
    cluster: { brokers: 3 },
    workload: { count: 200, ratePerSec: 400 },
  },
  {
    name: 'master-failed',
    description: 'The master is killed (kill -9) in the middle of a stream of persistent messages; a slave takes the lock, opens its port, and the clients fail over to it.',
    workload: { count: 600, ratePerSec: 200 },
    faults: [{ atMs: 1500, action: 'kill' }],
    expect: NO_LOSS,
  },
  {
    name: 'master-restarted',
    description: 'The master is killed, a slave takes over, and the old master is started again: it comes back as a slave and waits for the lock.',
    workload: { count: 800, ratePerSec: 200 },
    faults: [
      { atMs: 1000, action: 'kill' },
      { atMs: 2500, action: 'start', target: 'broker1' },
    ],
    expect: NO_LOSS,
  },
  {
    name: 'queue-master-slave',
    description: "ActiveMQ's own QueueMasterSlaveTest: 500 messages, the master is killed after half of them were sent; every message must arrive.",
    workload: { count: 500, ratePerSec: 0, inFlight: 20 },
    faults: [{ afterMessages: 250, action: 'kill' }],
    expect: NO_LOSS,
  },
  {
    name: 'paused-master',
    description: 'The master is frozen (SIGSTOP) for longer than its lease. A slave takes the expired lease; when the old master wakes it must notice it lost the lock before it writes anything.',
    cluster: LEASE,
    workload: { count: 1200, ratePerSec: 200 },
    faults: [{ atMs: 1500, action: 'pause', durationMs: 5000 }],
    expect: NO_LOSS,
  },
  {
    name: 'database-restart',
    description: 'The database drops every session while the master runs (a database restart). The master loses its lock session and gives up; a broker takes the lock again.',
    cluster: { store: 'pgmem' },
    workload: { count: 800, ratePerSec: 200 },
    faults: [{ atMs: 1500, action: 'db-restart' }],
  },
  {
    name: 'lost-db-link',
    description: "The master's network link to the database goes silent for 6 s (packets dropped). It must stop serving once it cannot renew its lock, before a slave takes over.",
    cluster: { store: 'pgmem', ...LEASE },
    workload: { count: 1400, ratePerSec: 200 },
    faults: [{ atMs: 1500, action: 'cut-link', durationMs: 6000, mode: 'blackhole' }],
  },
  {
    name: 'clock-skew',
    description: "A slave's clock runs 10 s ahead, far beyond the 2 s lease: it believes the master's lease ran out and takes the lock. The old master must find out at its next renewal and stop.",
    cluster: { brokers: 2, ...LEASE },
    workload: { count: 1000, ratePerSec: 200 },
    faults: [{ atMs: 1000, action: 'clock-offset', target: 'slave', offsetMs: 10_000 }],
  },
  {
    name: 'default-lease-expiry',
    description: 'A lease renewed less often than it lasts (lockKeepAlivePeriod 3000 with a 1000 ms lease, the mistake ActiveMQ only logs): the lease expires between renewals, and ActiveMQ ran 2-3 masters at once here.',
    cluster: { brokers: 3, locker: 'lease-database-locker', keepAliveMs: 3000, lockAcquireSleepIntervalMs: 1000 },
    workload: { count: 1600, ratePerSec: 200 },
  },
  {
    name: 'durable-subscriber-failover',
    description: 'A durable topic subscriber (client-id + subscription name) across a kill -9 of the master: it resubscribes on the new master and gets every persistent message, including those published while it was away.',
    workload: { destination: '/topic/failover', durable: true, count: 600, ratePerSec: 200 },
    faults: [{ atMs: 1500, action: 'kill' }],
    expect: NO_LOSS,
  },
  {
    name: 'transactions-failover',
    description: 'A producer sends in transactions of 10 (every 4th one aborted) while the master is killed: a COMMIT cut off by the kill is replayed on the new master and stored once; aborted messages never arrive.',
    workload: { count: 800, ratePerSec: 250, transactions: { size: 10, abortEvery: 4 } },
    faults: [{ atMs: 1500, action: 'kill' }],
    expect: NO_LOSS,
  },
  {
    name: 'backlog-failover',
    description: 'A backlog of 100,000 persistent messages is written, the master is killed, and the new master must recover all of them from the database before consumers drain it.',
    workload: { count: 100_000, ratePerSec: 0, inFlight: 200, consumeAfterSend: true },
    faults: [{ afterMessages: 99_000, action: 'kill' }],
    drainMs: 300_000,
    maxDurationMs: 600_000,
    expect: NO_LOSS,
  },
  {
    name: 'random-faults',
    description: 'Kills, pauses and clean stops of the master at random times drawn from a seed (--seed N replays the same run); the supervisor brings killed brokers back as slaves.',
    cluster: { brokers: 3, ...LEASE },
    workload: { count: 2400, ratePerSec: 200 },
    random: { seed: 1, count: 3, actions: ['kill', 'pause', 'stop'], fromMs: 1000, toMs: 9000, durationMs: 4000 },
  },
  {
    name: 'soak',
    description:
      'Endurance: 50 faults (--faults N), one every 4 s, of every kind the store allows (kill, pause, stop, restart; on PostgreSQL protocols also cut-link blackhole and reset, db-restart, latency; on SQLite the simulated database failure), drawn from a seed, while producers and consumers keep a queue and a durable topic busy. Nothing may be lost, duplicated unflagged or unexpected, and no two masters may overlap; RSS of the lab host and the brokers is sampled at every fault.',
    cluster: { brokers: 3, ...LEASE },
    workload: { destination: '/queue/soak', producers: 2, consumers: 2, count: 10_000_000, ratePerSec: 40 },
    moreWorkloads: [{ destination: '/topic/soak', durable: true, producers: 1, consumers: 2, count: 10_000_000, ratePerSec: 20 }],
    soak: { faults: 50, seed: 1, intervalMs: 4000, durationMs: 2500 },
    drainMs: 60_000,
    maxDurationMs: 3_600_000,
    expect: { lost: 0, unexpected: 0, duplicatedUnflagged: 0, dualMasterMs: 0 },
  },
];

export function findBuiltin(name: string): ScenarioInput | undefined {
  return BUILTIN_SCENARIOS.find((s) => s.name === name);
}
