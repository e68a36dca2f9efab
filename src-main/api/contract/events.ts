import type { ConnectorView, FaultKind, LabRole, LockView, ScenarioProgressView } from './views.js';

export type { ConnectorView, FaultKind, LabRole, LockView, ScenarioProgressView } from './views.js';

/**
 * The one discriminated union of events the lab host publishes (docs/lab.md): broker state,
 * lock holder + epoch + lease expiry, faults and their effects, log lines, metrics ticks. Every
 * event carries `seq` (per lab host, increasing) and `ts` (epoch ms on the lab host's clock).
 */

interface EventBase {
  seq: number;
  ts: number;
}

export type LabEvent =
  | (EventBase & {
      type: 'broker-state';
      broker: string;
      role: LabRole;
      pid: number | null;
      connectors: ConnectorView[];
      /** The lock as the broker reported it with a `master` state (a claim the checker can test). */
      lock: LockView | null;
      /** Set when the process exited. */
      exitCode?: number | null;
      signal?: string | null;
      reason?: string;
    })
  | (EventBase & { type: 'lock'; source: 'broker' | 'store'; lock: LockView })
  | (EventBase & {
      type: 'fault';
      fault: FaultKind;
      /** `injected` when the lab did it, `effect` for what followed, `healed` when undone. */
      phase: 'injected' | 'effect' | 'healed';
      broker: string | null;
      /** True when the fault is imitated rather than real (SQLite's database failure). */
      simulated: boolean;
      detail: string;
    })
  | (EventBase & { type: 'log'; broker: string | null; level: string; msg: string; fields: Record<string, unknown> })
  | (EventBase & {
      type: 'metrics';
      labRssBytes: number;
      queues: Array<{ destination: string; depth: number }>;
      leaseRemainingMs: number | null;
    })
  | (EventBase & {
      type: 'scenario';
      runId: number;
      name: string;
      /** `running` while it runs (with progress every 250 ms), then the outcome. */
      state: 'running' | 'passed' | 'failed' | 'broken';
      progress: ScenarioProgressView | null;
    })
  | (EventBase & {
      type: 'client-outage';
      runId: number;
      /** Epoch ms: the last successful client operation before the gap, and the first after. */
      from: number;
      to: number;
      durationMs: number;
      /** `report`: the Checker's outage windows, published when the run's report is in. */
      source: 'report';
    })
  /** The brokers acting as master together changed: all of them, or none when it ended. */
  | (EventBase & { type: 'dual-master'; brokers: string[] })
  | (EventBase & { type: 'cluster'; state: 'created' | 'started' | 'stopped' | 'destroyed' | 'broker-added'; detail: string });

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An event before the event log stamps it. */
export type LabEventInput = DistributiveOmit<LabEvent, 'seq' | 'ts'> & { ts?: number };
