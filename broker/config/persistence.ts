import { isAbsolute, resolve } from 'node:path';
import { DEFAULTS } from './broker-config.js';
import type { LockerConfig, PersistenceConfig, StoreTarget } from './broker-config.js';
import { readBoolean, readNonNegativeInteger, readString } from './attributes.js';
import { booleanDefault, numberDefault } from './config-schema.js';
import type { BeanDefinition } from './beans.js';
import { defaultStore, storeFromReference } from './data-sources.js';
import type { DiagnosticSink } from './diagnostics.js';
import { reportIgnoredAttributes } from './ignored.js';
import { defaultLocker, readLocker } from './locker-element.js';
import { attribute, childElements } from './xml-tree.js';
import type { XmlElement } from './xml-tree.js';

/**
 * `<persistenceAdapter>` (and the old `<persistenceFactory>`) of `<broker>` → store + locker.
 * JDBC adapters map their data source; KahaDB (shared-file-system master/slave) and the absent
 * adapter (ActiveMQ's KahaDB default) run over an SQLite file.
 */

export interface PersistenceContext {
  cwd: string;
  /** Absolute `dataDirectory` of the broker. */
  brokerDataDirectory: string;
  beans: ReadonlyMap<string, BeanDefinition>;
  sink: DiagnosticSink;
}

const JDBC_ATTRIBUTES = new Set([
  'dataSource',
  'dataDirectory',
  'lockKeepAlivePeriod',
  'createTablesOnStartup',
  'useLock',
  'useDatabaseLock',
  'lockAcquireSleepInterval',
  'lockDataSource',
]);
const KAHADB_ATTRIBUTES = new Set(['directory', 'lockKeepAlivePeriod', 'useLock']);
const UNSUPPORTED_ADAPTERS = new Set(['levelDB', 'replicatedLevelDB', 'mKahaDB']);

/** Null when an error made the persistence part unusable (the error is in the sink). */
export function readPersistence(broker: XmlElement, ctx: PersistenceContext): PersistenceConfig | null {
  const holders = [...childElements(broker, 'persistenceAdapter'), ...childElements(broker, 'persistenceFactory')];
  const holder = holders[0];
  for (const extra of holders.slice(1)) {
    ctx.sink.error('duplicate-persistence-adapter', extra, `<broker> may have one persistence adapter; <${extra.name}> is a second`);
  }
  if (!holder) {
    const store = defaultStore(ctx.brokerDataDirectory, 'default');
    ctx.sink.warning('default-kahadb-as-sqlite', broker, `no <persistenceAdapter>: ActiveMQ would use KahaDB under dataDirectory; the lab runs an SQLite store at ${store.file} with <database-locker/>`);
    return defaultPersistence(store);
  }
  const adapter = holder.children[0];
  if (!adapter) {
    ctx.sink.error('empty-persistence-adapter', holder, `<${holder.name}> is empty; put <jdbcPersistenceAdapter/> or <kahaDB/> in it`);
    return null;
  }
  for (const extra of holder.children.slice(1)) {
    ctx.sink.error('duplicate-persistence-adapter', extra, `<${holder.name}> holds one adapter; <${extra.name}> is a second`);
  }
  switch (adapter.name) {
    case 'jdbcPersistenceAdapter':
      return jdbcPersistence(adapter, ctx);
    case 'journalPersistenceAdapterFactory':
      ctx.sink.warning('journal-as-jdbc', adapter, '<journalPersistenceAdapterFactory> (journaled JDBC) runs as a plain <jdbcPersistenceAdapter>: no journal, same database and lock');
      return jdbcPersistence(adapter, ctx);
    case 'kahaDB': {
      const directoryAttr = attribute(adapter, 'directory');
      const directory = directoryAttr ? absolute(directoryAttr.value, ctx.cwd) : ctx.brokerDataDirectory;
      const store = defaultStore(directory, 'kahaDB');
      ctx.sink.warning('kahadb-as-sqlite', adapter, `<kahaDB> runs as an SQLite store at ${store.file}: shared-file-system master/slave becomes master/slave over that SQLite file, with <database-locker/> in place of the shared file lock; KahaDB tuning attributes are ignored`);
      return kahaDbPersistence(adapter, store, ctx);
    }
    case 'memoryPersistenceAdapter':
      ctx.sink.error('memory-persistence-adapter', adapter, '<memoryPersistenceAdapter/> keeps no shared store, so there is no master/slave to run; write persistent="false" on <broker> for a memory-only broker');
      return null;
    default:
      if (UNSUPPORTED_ADAPTERS.has(adapter.name)) {
        ctx.sink.error('persistence-adapter-unsupported', adapter, `<${adapter.name}> is not supported; use <jdbcPersistenceAdapter> (PostgreSQL or SQLite) or <kahaDB>`);
      } else {
        ctx.sink.error('persistence-adapter-unknown', adapter, `<${adapter.name}> is not a persistence adapter the lab knows; use <jdbcPersistenceAdapter> or <kahaDB>`);
      }
      return null;
  }
}

function jdbcPersistence(adapter: XmlElement, ctx: PersistenceContext): PersistenceConfig | null {
  const { sink } = ctx;
  reportIgnoredAttributes(adapter, JDBC_ATTRIBUTES, sink);
  const dataDirectoryAttr = attribute(adapter, 'dataDirectory');
  const directory = dataDirectoryAttr ? absolute(dataDirectoryAttr.value, ctx.cwd) : ctx.brokerDataDirectory;
  const dataSourceAttr = attribute(adapter, 'dataSource');
  let store: StoreTarget | null;
  if (dataSourceAttr) {
    store = storeFromReference(adapter, dataSourceAttr, { cwd: ctx.cwd, defaultDirectory: directory, beans: ctx.beans, sink });
  } else if (adapter.children.some((c) => c.name === 'dataSource')) {
    sink.error('nested-data-source', adapter, 'a nested <dataSource> element is not supported; define <bean id="..."> at the top level and write dataSource="#id"');
    store = null;
  } else {
    store = defaultStore(directory, 'default');
  }
  const lockDataSource = attribute(adapter, 'lockDataSource');
  if (lockDataSource) {
    sink.warning('lock-data-source-ignored', adapter, `lockDataSource="${lockDataSource.value}" is ignored: the lock lives in the store's own database (on SQLite in a lock file beside it)`, lockDataSource);
  }
  for (const child of adapter.children) {
    if (child.name === 'locker' || child.name === 'databaseLocker' || child.name === 'dataSource') continue;
    if (child.name === 'adapter') {
      sink.info('jdbc-adapter-ignored', child, '<adapter> (the SQL dialect) is chosen by the lab from the data source; ignored');
    } else {
      sink.warning('element-ignored', child, `<${child.name}> inside <${adapter.name}> is not honoured by the lab; ignored`);
    }
  }

  const adapterSleepAttr = attribute(adapter, 'lockAcquireSleepInterval');
  const configured = readLocker(adapter, sink);
  let locker: LockerConfig;
  if (configured) {
    locker = configured.locker;
    if (adapterSleepAttr) {
      sink.warning('adapter-lock-acquire-sleep-interval-ignored', adapter, `lockAcquireSleepInterval on <${adapter.name}> only applies to the default locker; the nested <${configured.element.name}> uses its own (${locker.lockAcquireSleepIntervalMs} ms)`, adapterSleepAttr);
    }
  } else {
    locker = defaultLocker(readNonNegativeInteger(adapter, 'lockAcquireSleepInterval', DEFAULTS.lockAcquireSleepIntervalMs, sink));
  }
  const useLock = readUseLock(adapter, sink);
  const lockKeepAlivePeriodMs = readNonNegativeInteger(adapter, 'lockKeepAlivePeriod', DEFAULTS.lockKeepAlivePeriodMs, sink);
  const createTablesOnStartup = readBoolean(adapter, 'createTablesOnStartup', booleanDefault('jdbcPersistenceAdapter', 'createTablesOnStartup'), sink);
  if (!store) return null;
  return { store, lockKeepAlivePeriodMs, createTablesOnStartup, useLock, locker };
}

/**
 * ActiveMQ's default adapter (KahaDB) over an SQLite file in `dataDirectory`. KahaDB's
 * lockKeepAlivePeriod defaults to 0 (LockableServiceSupport): its file lock needs no keep-alive.
 */
export function defaultPersistence(store: StoreTarget): PersistenceConfig {
  return { store, lockKeepAlivePeriodMs: 0, createTablesOnStartup: true, useLock: true, locker: defaultLocker() };
}

function kahaDbPersistence(element: XmlElement, store: StoreTarget, ctx: PersistenceContext): PersistenceConfig {
  reportIgnoredAttributes(element, KAHADB_ATTRIBUTES, ctx.sink);
  for (const child of element.children) {
    if (child.name === 'locker' && child.children.every((c) => c.name === 'shared-file-locker')) continue;
    ctx.sink.warning('element-ignored', child, `<${child.name}> inside <kahaDB> is not honoured by the lab; ignored`);
  }
  const sharedFileLocker = childElements(element, 'locker').flatMap((l) => childElements(l, 'shared-file-locker'))[0];
  const sleepMs = sharedFileLocker
    ? readNonNegativeInteger(sharedFileLocker, 'lockAcquireSleepInterval', DEFAULTS.lockAcquireSleepIntervalMs, ctx.sink)
    : DEFAULTS.lockAcquireSleepIntervalMs;
  return {
    store,
    lockKeepAlivePeriodMs: readNonNegativeInteger(element, 'lockKeepAlivePeriod', numberDefault('kahaDB', 'lockKeepAlivePeriod'), ctx.sink),
    createTablesOnStartup: true,
    useLock: readUseLock(element, ctx.sink),
    locker: defaultLocker(sleepMs),
  };
}

function readUseLock(element: XmlElement, sink: DiagnosticSink): boolean {
  const name = attribute(element, 'useLock') ? 'useLock' : 'useDatabaseLock';
  const useLock = readBoolean(element, name, booleanDefault('jdbcPersistenceAdapter', 'useLock'), sink);
  if (!useLock) {
    sink.warning('use-lock-false', element, `${name}="${readString(element, name)}": no broker takes the lock, so every broker started with this config is master at once`, attribute(element, name));
  }
  return useLock;
}

function absolute(path: string, cwd: string): string {
  return isAbsolute(path) ? path : resolve(cwd, path);
}
