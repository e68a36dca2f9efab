/**
 * Store hosting: the lock store the brokers of a cluster share (an SQLite file, pg-mem served over
 * the PostgreSQL wire protocol, or an external PostgreSQL), how brokers reach it, and how the lab
 * reads it (inspectors, the watcher that turns the ACTIVEMQ_LOCK row into lock events).
 */
export { createLockStoreHost, isPostgresUrl } from './create-lock-store-host.js';
export type { DataSourceSpec, HelperRuntime, LinkMode, LinkState, LockStoreHost, StoreKind } from './lock-store-host.js';
export type { DurableSubscriptionRow, LockRow, StoreInspector, StoreSnapshot } from './store-inspector.js';
export { StoreWatcher } from './store-watcher.js';
export type { StoreWatcherOptions } from './store-watcher.js';
