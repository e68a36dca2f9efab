import type { BrokerConfig, PersistenceConfig, StoreTarget } from './broker-config.js';
import type { DiagnosticSink } from './diagnostics.js';
import { attribute } from './xml-tree.js';
import type { XmlElement } from './xml-tree.js';

/**
 * Lease invariants checked at load time (docs/design.md, Conventions): LeaseDatabaseLocker writes a lease of
 * `lockAcquireSleepInterval` ms and renews it every `lockKeepAlivePeriod` ms, so a renewal period
 * at or above the lease length lets the lease lapse while the master keeps serving.
 */

const MEASURED = 'ActiveMQ only logs this, and measured with ActiveMQ it ran 2-3 masters at once';

export function checkLeaseRenewal(
  persistence: PersistenceConfig,
  adapter: XmlElement,
  lockerElement: XmlElement,
  sink: DiagnosticSink,
): void {
  const { locker, lockKeepAlivePeriodMs } = persistence;
  if (locker.kind !== 'lease-database-locker' || !persistence.useLock) return;
  const sleep = locker.lockAcquireSleepIntervalMs;
  const keepAliveWritten = attribute(adapter, 'lockKeepAlivePeriod') !== undefined;
  const sleepWritten = attribute(lockerElement, 'lockAcquireSleepInterval') !== undefined;
  const keepAliveText = `lockKeepAlivePeriod=${lockKeepAlivePeriodMs}${keepAliveWritten ? '' : ' (default)'} on <${adapter.name}>`;
  const sleepText = `lockAcquireSleepInterval=${sleep}${sleepWritten ? '' : ' (default)'} on <lease-database-locker>`;
  if (lockKeepAlivePeriodMs === 0) {
    sink.warning(
      'lease-never-renewed',
      lockerElement,
      `LEASE NEVER RENEWED: ${keepAliveText} turns keep-alives off, so the lease (${sleepText}, the lease length) expires ${sleep} ms after the master takes it; another broker then takes the lock while this master still serves: two or more masters at once (${MEASURED}). Set lockKeepAlivePeriod to well under lockAcquireSleepInterval, e.g. lockKeepAlivePeriod="2000" with lockAcquireSleepInterval="10000"`,
    );
    return;
  }
  if (lockKeepAlivePeriodMs >= sleep) {
    sink.warning(
      'lease-renewed-less-often-than-it-lasts',
      lockerElement,
      `LEASE EXPIRES BEFORE IT IS RENEWED: ${keepAliveText} (how often the lease is renewed) >= ${sleepText} (how long the lease lasts); another broker takes the lock while this master still serves: two or more masters at once (${MEASURED}). Set lockKeepAlivePeriod to well under lockAcquireSleepInterval, e.g. lockKeepAlivePeriod="2000" with lockAcquireSleepInterval="10000"`,
    );
  }
}

/** A lab-level finding about several brokers' configs; `brokers` are indexes into the input. */
export interface ClusterDiagnostic {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  brokers: number[];
}

/** Two lease brokers with the same holder id on one store both believe they renew the lease. */
export function findDuplicateLeaseHolderIds(configs: readonly BrokerConfig[]): ClusterDiagnostic[] {
  const groups = new Map<string, { holderId: string; store: string; brokers: number[] }>();
  configs.forEach((config, index) => {
    const { persistence } = config;
    if (!config.persistent || !persistence.useLock || persistence.locker.kind !== 'lease-database-locker') return;
    const holderId = persistence.locker.leaseHolderId ?? config.brokerName;
    const store = storeKey(persistence.store);
    const key = `${store}\u0000${holderId}`;
    const group = groups.get(key) ?? { holderId, store, brokers: [] };
    group.brokers.push(index);
    groups.set(key, group);
  });
  return [...groups.values()]
    .filter((g) => g.brokers.length > 1)
    .map((g) => ({
      severity: 'error' as const,
      code: 'duplicate-lease-holder-id',
      message: `brokers ${g.brokers.map((b) => `#${b + 1}`).join(', ')} use the same lease holder id "${g.holderId}" (leaseHolderId, or brokerName when it is absent) on ${g.store}: each renews the other's lease, so all of them can be master at once; give each broker its own brokerName or leaseHolderId`,
      brokers: g.brokers,
    }));
}

function storeKey(store: StoreTarget): string {
  return store.kind === 'sqlite'
    ? `SQLite file ${store.file}`
    : `PostgreSQL ${store.host}:${store.port}/${store.database} schema ${store.schema}`;
}
