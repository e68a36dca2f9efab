/**
 * The JSON lines a broker process prints on stdout for the lab: every state change is one line
 * (docs/design.md, Processes). The lab parses these fields; it never scrapes free text.
 */

export type BrokerState = 'starting' | 'waiting-for-lock' | 'master' | 'stopping' | 'stopped';

/** `role` as the lab shows it (`status --json`). */
export type BrokerRole = 'starting' | 'slave' | 'master' | 'stopping' | 'stopped';

export function roleOf(state: BrokerState): BrokerRole {
  return state === 'waiting-for-lock' ? 'slave' : state;
}

export interface ConnectorStatus {
  name: string;
  /** The URI as configured. */
  uri: string;
  /** Where it actually listens, e.g. `stomp://127.0.0.1:61613`. */
  boundUri: string;
  port: number;
}

export interface StatusLine {
  type: 'status';
  ts: number;
  broker: string;
  pid: number;
  state: BrokerState;
  role: BrokerRole;
  lock: { holder: string | null; epoch: number; leaseExpiresAt: number | null } | null;
  connectors: ConnectorStatus[];
  /** Present on `stopped`: the exit code the process is about to use. */
  exitCode?: number;
  /** Present on `stopping`/`stopped` when it was not a clean stop. */
  reason?: string;
}

/** Exit codes of `failover-lab broker` (documented in docs/cli.md). */
export const EXIT = {
  /** Clean stop (SIGTERM, SIGINT). */
  ok: 0,
  /** Unexpected failure. */
  failure: 1,
  /** The configuration has errors. */
  config: 2,
  /** The master lost the lock or the database and gave up being master. */
  lockLost: 3,
  /** `failIfLocked` was set and the lock was taken. */
  locked: 4,
} as const;
