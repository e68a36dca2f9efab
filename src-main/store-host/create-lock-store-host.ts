import { LabApiError } from '../api/lab-errors.js';
import type { HelperRuntime, LockStoreHost } from './lock-store-host.js';
import { PgMemBackend } from './pgmem-backend.js';
import { PgStoreHost } from './pg-store-host.js';
import { PostgresBackend } from './postgres-backend.js';
import { SqliteStoreHost } from './sqlite-store-host.js';

export function isPostgresUrl(store: string): boolean {
  return /^postgres(ql)?:\/\//.test(store);
}

/** `sqlite` (default), `pgmem`, or a `postgres://` URL → the store host for one cluster. */
export function createLockStoreHost(store: string, clusterDir: string, clusterId: string, helpers: HelperRuntime = {}): LockStoreHost {
  if (store === 'sqlite') return new SqliteStoreHost(clusterDir, helpers);
  if (store === 'pgmem') return new PgStoreHost(new PgMemBackend());
  if (isPostgresUrl(store)) return new PgStoreHost(new PostgresBackend(store, clusterId));
  throw new LabApiError('bad-request', `store "${store}" is not one of sqlite, pgmem, postgres://user:password@host:port/database`);
}
