import type { PolicyEntryConfig } from './destination-policy.js';
import { numberDefault, stringDefault } from './config-schema.js';
import type { SecurityConfig } from './security.js';

/**
 * The typed, immutable result of loading an activemq.xml (docs/config.md). Durations are
 * milliseconds and end in `Ms`; XML attribute names appear only in the loader and in diagnostics.
 */

export interface SourcePosition {
  line: number;
  column: number;
}

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  severity: Severity;
  message: string;
  line: number;
  column: number;
  /** Element path from the root, e.g. `beans/broker/persistenceAdapter/jdbcPersistenceAdapter`. */
  path: string;
  /** Stable identifier of the rule that produced it, e.g. `lease-renewed-less-often-than-it-lasts`. */
  code: string;
}

/** Where the brokers' shared database lives. */
export type StoreTarget =
  | {
      kind: 'sqlite';
      /** Absolute path of the SQLite database file all brokers share. */
      file: string;
      /** Which XML construct chose it, for messages: `sqlite`, `derby`, `default`, `kahaDB`. */
      origin: 'sqlite' | 'derby' | 'default' | 'kahaDB';
    }
  | {
      kind: 'postgres';
      host: string;
      port: number;
      database: string;
      user: string;
      password: string;
      /** `currentSchema` from the data source or URL; `public` when absent. */
      schema: string;
    };

export type LockerKind = 'database-locker' | 'lease-database-locker';

export interface LockerConfig {
  kind: LockerKind;
  /** `lockAcquireSleepInterval`: wait between attempts to take the lock; for the lease locker also the lease length. */
  lockAcquireSleepIntervalMs: number;
  /** `leaseHolderId` (lease locker); defaults to the broker name. */
  leaseHolderId: string | null;
  /** `maxAllowableDiffFromDBTime` (lease locker): tolerated difference between local and database time. */
  maxAllowableDiffFromDbTimeMs: number;
  /** `failIfLocked`: give up instead of waiting when the lock is taken. */
  failIfLocked: boolean;
}

export interface PersistenceConfig {
  store: StoreTarget;
  /** `lockKeepAlivePeriod`: how often the master renews / keeps alive its lock. 0 disables keep-alive. */
  lockKeepAlivePeriodMs: number;
  /** `createTablesOnStartup`. */
  createTablesOnStartup: boolean;
  /** `useLock`: false means no master/slave at all (every broker believes it is master). */
  useLock: boolean;
  locker: LockerConfig;
}

export interface TransportConnectorConfig {
  name: string;
  /** The URI as written, e.g. `tcp://0.0.0.0:61616?maximumConnections=1000`. */
  uri: string;
  scheme: 'stomp' | 'stomp+nio' | 'tcp' | 'nio' | 'auto' | 'auto+nio' | 'ws' | 'stomp+ssl' | string;
  host: string;
  port: number;
  /** Query options of the URI (`transport.*`, `wireFormat.*`, ...), verbatim. */
  options: Readonly<Record<string, string>>;
}

export interface BrokerConfig {
  brokerName: string;
  /** `persistent` attribute of `<broker>`; false keeps messages in memory only. */
  persistent: boolean;
  /** `dataDirectory` of `<broker>`, resolved to an absolute path. */
  dataDirectory: string;
  persistence: PersistenceConfig;
  transportConnectors: readonly TransportConnectorConfig[];
  /** `destinationPolicy` policy entries in document order (broker/config/destination-policy.ts). */
  destinationPolicy: readonly PolicyEntryConfig[];
  /** `<plugins>`: authentication and authorization (broker/config/security.ts); null when none. */
  security: SecurityConfig | null;
  /** The file it came from, when it came from one. */
  sourceFile: string | null;
}

export interface LoadResult {
  /** Present unless an error diagnostic made the config unusable. */
  config: BrokerConfig | null;
  diagnostics: readonly Diagnostic[];
}

/** The loader's defaults, read from the one schema table (config-schema.ts). */
export const DEFAULTS = {
  lockKeepAlivePeriodMs: numberDefault('jdbcPersistenceAdapter', 'lockKeepAlivePeriod'),
  lockAcquireSleepIntervalMs: numberDefault('database-locker', 'lockAcquireSleepInterval'),
  maxAllowableDiffFromDbTimeMs: numberDefault('lease-database-locker', 'maxAllowableDiffFromDBTime'),
  brokerName: stringDefault('broker', 'brokerName'),
  dataDirectory: stringDefault('broker', 'dataDirectory'),
} as const;
