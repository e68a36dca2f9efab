import type { LinkView } from '../api/contract/index.js';
import type { StoreInspector } from './store-inspector.js';

/** How a broker reaches the store: written into its activemq.xml as the data source bean. */
export type DataSourceSpec =
  | { kind: 'sqlite'; file: string }
  | { kind: 'postgres'; host: string; port: number; database: string; user: string; password: string; schema: string };

export type StoreKind = 'sqlite' | 'pgmem' | 'postgres';

export type LinkMode = 'reset' | 'blackhole';

/** How the lab host runs its own helper processes (the SQLite inspector): which Node, with what env. */
export interface HelperRuntime {
  /** Default: this process's executable. */
  execPath?: string;
  /** Added to this process's environment (e.g. `ELECTRON_RUN_AS_NODE=1` when execPath is Electron). */
  env?: Record<string, string>;
}

/** One broker's database link as the lab sees it. */
export type LinkState = LinkView;

/**
 * Where a cluster's brokers share their lock and messages: an SQLite file in the cluster directory,
 * pg-mem in the lab host, or an external PostgreSQL (one schema per cluster). It gives each broker
 * its data source, and owns what it opened (servers, link proxies, the inspector).
 */
export interface LockStoreHost {
  readonly kind: StoreKind;
  /** For people: the file, or the URL without its password. */
  readonly location: string;
  /** What this store cannot do, said plainly to the user. */
  readonly limits: readonly string[];
  /** True when the database link of a broker is a TCP proxy the lab can cut. */
  readonly hasLinkProxies: boolean;
  readonly inspector: StoreInspector;
  start(): Promise<void>;
  /** The data source broker `name` must use (its own link proxy for PostgreSQL-protocol stores). */
  dataSourceFor(name: string): Promise<DataSourceSpec>;
  /** Environment for broker `name`'s process (PostgreSQL: PGAPPNAME, to find its sessions). */
  envFor(name: string): Record<string, string>;
  cutLink(name: string, mode: LinkMode): Promise<void>;
  setLatency(name: string, latencyMs: number): Promise<void>;
  healLink(name: string): Promise<void>;
  linkState(name: string): LinkState | null;
  /** Restarts the database as far as this store can; resolves with what it did, for the event. */
  restartDatabase(): Promise<string>;
  /** pg-mem only: writes its content to a file. */
  save(file: string): Promise<void>;
  stop(): Promise<void>;
}
