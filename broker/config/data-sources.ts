import { isAbsolute, join, resolve } from 'node:path';
import type { StoreTarget } from './broker-config.js';
import { propertyValue } from './beans.js';
import type { BeanDefinition } from './beans.js';
import type { DiagnosticSink } from './diagnostics.js';
import { parseJdbcUrl } from './jdbc-url.js';
import type { XmlAttribute, XmlElement } from './xml-tree.js';

/**
 * Maps the data source a `jdbcPersistenceAdapter` references to one of our stores: PostgreSQL
 * (real server or the lab's pg-mem) or an SQLite file. Other databases are errors: we cannot run them.
 */

export const SQLITE_FILE_NAME = 'failover-lab.sqlite';

const PG_DATA_SOURCES = new Set([
  'org.postgresql.ds.PGPoolingDataSource',
  'org.postgresql.ds.PGSimpleDataSource',
  'org.postgresql.ds.PGConnectionPoolDataSource',
  'org.postgresql.xa.PGXADataSource',
]);
const URL_DATA_SOURCES = new Map([
  ['org.apache.commons.dbcp.BasicDataSource', 'url'],
  ['org.apache.commons.dbcp2.BasicDataSource', 'url'],
  ['com.zaxxer.hikari.HikariDataSource', 'jdbcUrl'],
]);
const DERBY_DATA_SOURCES = new Set([
  'org.apache.derby.jdbc.EmbeddedDataSource',
  'org.apache.derby.jdbc.EmbeddedDataSource40',
  'org.apache.derby.jdbc.EmbeddedConnectionPoolDataSource',
]);
const SQLITE_DATA_SOURCES = new Set(['org.sqlite.SQLiteDataSource', 'org.sqlite.javax.SQLiteConnectionPoolDataSource']);

export function isDataSourceClass(className: string): boolean {
  return (
    PG_DATA_SOURCES.has(className) ||
    URL_DATA_SOURCES.has(className) ||
    DERBY_DATA_SOURCES.has(className) ||
    SQLITE_DATA_SOURCES.has(className)
  );
}

export interface DataSourceContext {
  cwd: string;
  /** Absolute directory for the default SQLite file: the adapter's or the broker's dataDirectory. */
  defaultDirectory: string;
  beans: ReadonlyMap<string, BeanDefinition>;
  sink: DiagnosticSink;
}

/** The store when no data source is given (ActiveMQ would use embedded Derby under dataDirectory). */
export type SqliteStore = Extract<StoreTarget, { kind: 'sqlite' }>;
type PostgresStore = Extract<StoreTarget, { kind: 'postgres' }>;

export function defaultStore(directory: string, origin: 'default' | 'derby' | 'kahaDB'): SqliteStore {
  return { kind: 'sqlite', file: join(directory, SQLITE_FILE_NAME), origin };
}

/** Resolves `dataSource="#id"` on the adapter element; null when the reference is unusable. */
export function storeFromReference(adapter: XmlElement, attr: XmlAttribute, ctx: DataSourceContext): StoreTarget | null {
  const id = attr.value.startsWith('#') ? attr.value.slice(1) : attr.value;
  const bean = ctx.beans.get(id);
  if (!bean) {
    ctx.sink.error('data-source-not-found', adapter, `dataSource="${attr.value}" refers to no <bean id="${id}"> at the top level of <beans>`, attr);
    return null;
  }
  if (!attr.value.startsWith('#')) {
    ctx.sink.warning('data-source-reference-without-hash', adapter, `dataSource="${attr.value}" should be written dataSource="#${id}" (ActiveMQ's xbean reference syntax)`, attr);
  }
  return storeFromBean(bean, ctx);
}

function storeFromBean(bean: BeanDefinition, ctx: DataSourceContext): StoreTarget | null {
  const { className } = bean;
  if (PG_DATA_SOURCES.has(className)) return postgresFromPgDataSource(bean, ctx);
  const urlProperty = URL_DATA_SOURCES.get(className);
  if (urlProperty !== undefined) return storeFromUrlDataSource(bean, urlProperty, ctx);
  if (SQLITE_DATA_SOURCES.has(className)) return storeFromUrlDataSource(bean, 'url', ctx);
  if (DERBY_DATA_SOURCES.has(className)) {
    const store = defaultStore(ctx.defaultDirectory, 'derby');
    ctx.sink.info('derby-runs-as-sqlite', bean.element, `embedded Derby (${className}) runs as the SQLite file ${store.file}`);
    return store;
  }
  ctx.sink.error(
    'data-source-unsupported',
    bean.element,
    `data source class "${className}" is not supported; use org.postgresql.ds.PGPoolingDataSource / PGSimpleDataSource, org.apache.commons.dbcp2.BasicDataSource with a jdbc:postgresql: or jdbc:sqlite: url, org.sqlite.SQLiteDataSource, or embedded Derby`,
  );
  return null;
}

function postgresFromPgDataSource(bean: BeanDefinition, ctx: DataSourceContext): StoreTarget | null {
  // PGSimpleDataSource also takes a url; explicit properties win over what it says.
  const url = propertyValue(bean, 'url');
  let fromUrl: PostgresStore | null = null;
  if (url !== undefined) {
    const store = storeFromUrl(url, bean, ctx, 'url');
    if (store?.kind !== 'postgres') return store;
    fromUrl = store;
  }
  const portText = propertyValue(bean, 'portNumber');
  let port = fromUrl?.port ?? 5432;
  if (portText !== undefined) {
    const parsed = Number(portText.trim());
    if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) {
      ctx.sink.error('invalid-port', bean.properties.get('portNumber')?.element ?? bean.element, `portNumber "${portText}" is not a port number`);
    } else if (parsed !== 0) {
      port = parsed;
    }
  }
  const user = propertyValue(bean, 'user') ?? fromUrl?.user ?? '';
  return {
    kind: 'postgres',
    host: propertyValue(bean, 'serverName') || fromUrl?.host || 'localhost',
    port,
    database: propertyValue(bean, 'databaseName') || fromUrl?.database || user,
    user,
    password: propertyValue(bean, 'password') ?? fromUrl?.password ?? '',
    schema: propertyValue(bean, 'currentSchema') || fromUrl?.schema || 'public',
  };
}

function storeFromUrlDataSource(bean: BeanDefinition, urlProperty: string, ctx: DataSourceContext): StoreTarget | null {
  const url = propertyValue(bean, urlProperty);
  if (url === undefined || url.trim() === '') {
    ctx.sink.error('data-source-without-url', bean.element, `data source "${bean.id ?? bean.className}" has no ${urlProperty} property`);
    return null;
  }
  const store = storeFromUrl(url.trim(), bean, ctx, urlProperty);
  if (store?.kind !== 'postgres') return store;
  return {
    ...store,
    user: propertyValue(bean, 'username') ?? store.user,
    password: propertyValue(bean, 'password') ?? store.password,
  };
}

function storeFromUrl(url: string, bean: BeanDefinition, ctx: DataSourceContext, property: string): StoreTarget | null {
  const at = bean.properties.get(property)?.element ?? bean.element;
  const attr = bean.properties.get(property)?.attr;
  const parsed = parseJdbcUrl(url);
  switch (parsed.kind) {
    case 'postgres':
      return { kind: 'postgres', host: parsed.host, port: parsed.port, database: parsed.database, user: parsed.user, password: parsed.password, schema: parsed.schema };
    case 'sqlite':
      if (parsed.path === '' || parsed.path === ':memory:' || parsed.path.startsWith('file::memory:')) {
        ctx.sink.error('sqlite-not-shared', at, `${property} "${url}" is not a file: brokers can only share an SQLite database that lives in a file`, attr);
        return null;
      }
      return { kind: 'sqlite', file: isAbsolute(parsed.path) ? parsed.path : resolve(ctx.cwd, parsed.path), origin: 'sqlite' };
    case 'derby':
      ctx.sink.info('derby-runs-as-sqlite', at, `embedded Derby (${url}) runs as the SQLite file ${defaultStore(ctx.defaultDirectory, 'derby').file}`, attr);
      return defaultStore(ctx.defaultDirectory, 'derby');
    case 'other-database':
      ctx.sink.error('database-unsupported', at, `${property} "${url}" is a ${parsed.database} database, which the lab cannot run; use PostgreSQL (jdbc:postgresql://host:port/db) or SQLite (jdbc:sqlite:path)`, attr);
      return null;
    case 'invalid':
      ctx.sink.error('invalid-jdbc-url', at, `${property} "${url}": ${parsed.reason}`, attr);
      return null;
  }
}
