import { join } from 'node:path';
import { LabApiError } from '../api/lab-errors.js';
import type { DataSourceSpec } from './lock-store-host.js';
import type { HelperRuntime, LinkMode, LinkState, LockStoreHost } from './lock-store-host.js';
import { SqliteStoreInspector } from './sqlite-store-inspector.js';

export const SQLITE_STORE_FILE = 'failover-lab.sqlite';

export const SQLITE_LIMITS = [
  'SQLite has no network link to cut: fault/db-failure makes the broker\'s own store layer fail on command (simulated).',
  'SQLite has no server to restart: fault/db-restart is not available.',
  'All brokers must run on this machine: SQLite is a file shared by local processes.',
] as const;

/** The default store: one SQLite file in the cluster directory, kept when the lab closes. */
export class SqliteStoreHost implements LockStoreHost {
  readonly kind = 'sqlite';
  readonly limits = SQLITE_LIMITS;
  readonly hasLinkProxies = false;
  readonly file: string;
  readonly inspector: SqliteStoreInspector;

  /** `helpers`: how to run the SQLite reader (Electron's main process cannot load better-sqlite3). */
  constructor(clusterDir: string, helpers: HelperRuntime = {}) {
    this.file = join(clusterDir, SQLITE_STORE_FILE);
    this.inspector = new SqliteStoreInspector(this.file, helpers);
  }

  get location(): string {
    return this.file;
  }

  async start(): Promise<void> {}

  async dataSourceFor(): Promise<DataSourceSpec> {
    return { kind: 'sqlite', file: this.file };
  }

  envFor(): Record<string, string> {
    return {};
  }

  cutLink(_name: string, _mode: LinkMode): Promise<void> {
    return Promise.reject(noLink());
  }

  setLatency(): Promise<void> {
    return Promise.reject(noLink());
  }

  healLink(): Promise<void> {
    return Promise.reject(noLink());
  }

  linkState(): LinkState | null {
    return null;
  }

  restartDatabase(): Promise<string> {
    return Promise.reject(new LabApiError('unsupported', 'SQLite has no database server to restart; use fault/db-failure (simulated) or a PostgreSQL-protocol store'));
  }

  save(): Promise<void> {
    return Promise.reject(new LabApiError('unsupported', `the SQLite store is already a file: ${this.file}`));
  }

  async stop(): Promise<void> {
    await this.inspector.stop();
  }
}

function noLink(): LabApiError {
  return new LabApiError('unsupported', 'SQLite has no database link to cut or slow down; use fault/db-failure (simulated) instead');
}
