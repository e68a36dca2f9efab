import { DEFAULTS } from './broker-config.js';
import type { LockerConfig } from './broker-config.js';
import { readBoolean, readNonNegativeInteger, readString } from './attributes.js';
import { booleanDefault } from './config-schema.js';
import { exceedsColumn } from '../store/column-bounds.js';
import type { DiagnosticSink } from './diagnostics.js';
import { reportIgnoredAttributes } from './ignored.js';
import { attribute } from './xml-tree.js';
import type { XmlElement } from './xml-tree.js';

/**
 * `<locker>` (or the deprecated `<databaseLocker>`) inside a persistence adapter, holding
 * `<database-locker/>` or `<lease-database-locker/>` (ActiveMQ's DefaultDatabaseLocker and
 * LeaseDatabaseLocker), with ActiveMQ's defaults.
 */

const LOCKER_ATTRIBUTES = new Set(['lockAcquireSleepInterval', 'failIfLocked', 'leaseHolderId', 'maxAllowableDiffFromDBTime']);

export function defaultLocker(lockAcquireSleepIntervalMs: number = DEFAULTS.lockAcquireSleepIntervalMs): LockerConfig {
  return {
    kind: 'database-locker',
    lockAcquireSleepIntervalMs,
    leaseHolderId: null,
    maxAllowableDiffFromDbTimeMs: DEFAULTS.maxAllowableDiffFromDbTimeMs,
    failIfLocked: false,
  };
}

/** The locker configured under `adapter`, or null when the adapter has no `<locker>` child. */
export function readLocker(adapter: XmlElement, sink: DiagnosticSink): { locker: LockerConfig; element: XmlElement } | null {
  const holders = adapter.children.filter((c) => c.name === 'locker' || c.name === 'databaseLocker');
  const holder = holders[0];
  if (!holder) return null;
  for (const extra of holders.slice(1)) {
    sink.error('duplicate-locker', extra, `<${adapter.name}> may have one <locker>; this one is a second`);
  }
  const inner = holder.children[0];
  if (!inner) {
    sink.warning('empty-locker', holder, '<locker> is empty; the default <database-locker/> is used');
    return null;
  }
  for (const extra of holder.children.slice(1)) {
    sink.error('duplicate-locker', extra, '<locker> holds one locker; this one is a second');
  }
  switch (inner.name) {
    case 'database-locker':
    case 'transact-database-locker':
      if (inner.name === 'transact-database-locker') {
        sink.info('transact-locker-as-database-locker', inner, '<transact-database-locker/> runs as <database-locker/> (both hold a database lock for the master\'s life)');
      }
      return { locker: readCommon(inner, 'database-locker', sink), element: inner };
    case 'lease-database-locker':
      return { locker: readCommon(inner, 'lease-database-locker', sink), element: inner };
    case 'shared-file-locker':
      sink.error('shared-file-locker-on-jdbc', inner, `<shared-file-locker/> locks a file for KahaDB; <${adapter.name}> needs <database-locker/> or <lease-database-locker/>`);
      return null;
    default:
      sink.error('locker-unsupported', inner, `<${inner.name}> is not a locker the lab knows; use <database-locker/> or <lease-database-locker/>`);
      return null;
  }
}

function readCommon(element: XmlElement, kind: LockerConfig['kind'], sink: DiagnosticSink): LockerConfig {
  const lease = kind === 'lease-database-locker';
  if (!lease) {
    for (const name of ['leaseHolderId', 'maxAllowableDiffFromDBTime']) {
      const value = readString(element, name);
      if (value !== undefined) sink.warning('lease-attribute-on-database-locker', element, `${name} only applies to <lease-database-locker/>; ignored on <database-locker/>`);
    }
  }
  reportIgnoredAttributes(element, LOCKER_ATTRIBUTES, sink);
  const holderId = attribute(element, 'leaseHolderId');
  const tooLong = lease && holderId ? exceedsColumn('ACTIVEMQ_LOCK.BROKER_NAME', 'leaseHolderId', holderId.value) : null;
  if (tooLong) sink.error('value-too-long', element, tooLong, holderId);
  return {
    kind,
    lockAcquireSleepIntervalMs: readNonNegativeInteger(element, 'lockAcquireSleepInterval', DEFAULTS.lockAcquireSleepIntervalMs, sink),
    leaseHolderId: lease ? (readString(element, 'leaseHolderId') ?? null) : null,
    maxAllowableDiffFromDbTimeMs: lease
      ? readNonNegativeInteger(element, 'maxAllowableDiffFromDBTime', DEFAULTS.maxAllowableDiffFromDbTimeMs, sink)
      : DEFAULTS.maxAllowableDiffFromDbTimeMs,
    failIfLocked: readBoolean(element, 'failIfLocked', booleanDefault(kind, 'failIfLocked'), sink),
  };
}
