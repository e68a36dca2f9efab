/**
 * The one table of the activemq.xml dialect we read: elements, where they may appear, their
 * attributes with docs and defaults. The loader takes its defaults from here, the editor its
 * completion and hover docs, and a test checks docs/config.md against it.
 *
 * Plain data with no imports at all: the renderer bundles this file (the one value the renderer
 * takes from the core; see eslint.config.js).
 */

export interface AttributeSpec {
  name: string;
  doc: string;
  /** The default as ActiveMQ (and our loader) applies it; absent when there is none. */
  default?: string;
  /** Suggested values for completion. */
  values?: readonly string[];
}

export interface ElementSpec {
  name: string;
  doc: string;
  /** Elements it may appear in (by name); empty for the root. */
  parents: readonly string[];
  attributes: readonly AttributeSpec[];
}

const BOOL = ['true', 'false'] as const;

export const CONFIG_ELEMENTS: readonly ElementSpec[] = [
  { name: 'beans', parents: [], doc: 'Spring root: holds the <broker>, data source <bean>s and placeholder configurers.', attributes: [{ name: 'xmlns', doc: 'Spring beans namespace.', values: ['http://www.springframework.org/schema/beans'] }] },
  {
    name: 'broker',
    parents: ['beans'],
    doc: 'The broker. Exactly one per file.',
    attributes: [
      { name: 'xmlns', doc: 'ActiveMQ core namespace (warning broker-namespace without it).', values: ['http://activemq.apache.org/schema/core'] },
      { name: 'brokerName', doc: 'Broker name; the lab overrides it per broker (--name); default lease holder id.', default: 'localhost' },
      { name: 'persistent', doc: 'false: messages in memory, no lock, every broker is master (warning memory-only).', default: 'true', values: BOOL },
      { name: 'dataDirectory', doc: 'Where the default SQLite file lives; the lab points it into the broker directory.', default: 'activemq-data' },
      { name: 'useJmx', doc: 'Not used by the lab (info attribute-ignored).', default: 'true', values: BOOL },
      { name: 'schedulerSupport', doc: 'Not supported: behaves as false (warning).', default: 'false', values: BOOL },
    ],
  },
  { name: 'bean', parents: ['beans'], doc: 'A Spring bean: data sources (PGPoolingDataSource, PGSimpleDataSource, SQLiteDataSource, BasicDataSource, HikariDataSource) and PropertyPlaceholderConfigurer; other classes are ignored (warning).', attributes: [
    { name: 'id', doc: 'Referenced as dataSource="#id".' },
    { name: 'class', doc: 'The Java class; decides the store.', values: ['org.postgresql.ds.PGPoolingDataSource', 'org.postgresql.ds.PGSimpleDataSource', 'org.sqlite.SQLiteDataSource', 'org.apache.commons.dbcp2.BasicDataSource', 'com.zaxxer.hikari.HikariDataSource', 'org.springframework.beans.factory.config.PropertyPlaceholderConfigurer'] },
    { name: 'destroy-method', doc: 'Ignored by the lab.' },
  ] },
  { name: 'property', parents: ['bean'], doc: 'A bean property: value=, <value> or <list> of <value>.', attributes: [
    { name: 'name', doc: 'serverName (localhost), portNumber (5432), databaseName, user, password, currentSchema (public), url, username, jdbcUrl, locations.', values: ['serverName', 'portNumber', 'databaseName', 'user', 'password', 'currentSchema', 'url', 'username', 'jdbcUrl', 'locations'] },
    { name: 'value', doc: 'The value; ${placeholders} are resolved.' },
  ] },
  { name: 'value', parents: ['property', 'list'], doc: 'A property value as text.', attributes: [] },
  { name: 'list', parents: ['property'], doc: 'A list of <value>s (e.g. property files).', attributes: [] },
  { name: 'import', parents: ['beans'], doc: 'Not followed by the lab (warning import-not-followed).', attributes: [{ name: 'resource', doc: 'The imported file.' }] },
  { name: 'persistenceAdapter', parents: ['broker'], doc: 'Holds exactly one adapter: jdbcPersistenceAdapter (or kahaDB, run as SQLite).', attributes: [] },
  {
    name: 'jdbcPersistenceAdapter',
    parents: ['persistenceAdapter'],
    doc: 'JDBC Master/Slave: the shared database and its lock. The lab points dataSource at the cluster\'s store.',
    attributes: [
      { name: 'dataSource', doc: '"#id" of a data source bean; none = embedded Derby default, here an SQLite file under dataDirectory.' },
      { name: 'dataDirectory', doc: 'Directory of the default SQLite file failover-lab.sqlite.', default: "the broker's dataDirectory" },
      { name: 'lockKeepAlivePeriod', doc: 'Lock keep-alive / lease renewal period in ms (0 = off). With the lease locker it must be shorter than lockAcquireSleepInterval.', default: '30000' },
      { name: 'createTablesOnStartup', doc: 'Create ACTIVEMQ_MSGS, ACTIVEMQ_ACKS, ACTIVEMQ_LOCK when missing.', default: 'true', values: BOOL },
      { name: 'useLock', doc: 'false: no lock, every broker is master (warning).', default: 'true', values: BOOL },
      { name: 'lockAcquireSleepInterval', doc: 'Old style: retry interval of the default locker; ignored with a nested <locker> (warning).', default: '10000' },
    ],
  },
  { name: 'kahaDB', parents: ['persistenceAdapter'], doc: 'ActiveMQ\'s default store: run as an SQLite file with database-locker (warning kahadb-as-sqlite).', attributes: [
    { name: 'directory', doc: 'Directory of the SQLite file.' },
    { name: 'lockKeepAlivePeriod', doc: 'Keep-alive period in ms.', default: '0' },
  ] },
  { name: 'locker', parents: ['jdbcPersistenceAdapter'], doc: 'Holds one locker: database-locker (default) or lease-database-locker.', attributes: [] },
  {
    name: 'database-locker',
    parents: ['locker'],
    doc: 'DefaultDatabaseLocker: a database lock held for the master\'s life (SELECT ... FOR UPDATE; SQLite: an exclusive transaction on a lock file), released when the master\'s connection dies.',
    attributes: [
      { name: 'lockAcquireSleepInterval', doc: 'How long a slave waits between attempts (ms).', default: '10000' },
      { name: 'failIfLocked', doc: 'Exit (code 4) instead of waiting when another broker holds the lock.', default: 'false', values: BOOL },
    ],
  },
  {
    name: 'lease-database-locker',
    parents: ['locker'],
    doc: 'LeaseDatabaseLocker: ACTIVEMQ_LOCK row 1 holds BROKER_NAME and TIME (the lease expiry), renewed every lockKeepAlivePeriod.',
    attributes: [
      { name: 'lockAcquireSleepInterval', doc: 'Retry interval AND lease length (ms). Must exceed the adapter\'s lockKeepAlivePeriod, else two masters at once.', default: '10000' },
      { name: 'leaseHolderId', doc: 'Written to ACTIVEMQ_LOCK.BROKER_NAME; must differ per broker.', default: 'the broker name' },
      { name: 'maxAllowableDiffFromDBTime', doc: 'Tolerated difference between the broker clock and the database clock (ms).', default: '0' },
      { name: 'failIfLocked', doc: 'Exit (code 4) instead of waiting when another broker holds the lease.', default: 'false', values: BOOL },
    ],
  },
  { name: 'transportConnectors', parents: ['broker'], doc: 'The ports a master opens; a slave opens none.', attributes: [] },
  {
    name: 'transportConnector',
    parents: ['transportConnectors'],
    doc: 'One listening port: stomp://, tcp://, nio://, auto:// serve STOMP over TCP; ws:// STOMP over WebSocket. The lab assigns each broker its own port.',
    attributes: [
      { name: 'name', doc: 'Connector name.', default: 'the uri' },
      { name: 'uri', doc: 'scheme://host:port[?options]; TLS schemes are errors, mqtt/amqp are not served.', values: ['stomp://127.0.0.1:61613', 'ws://127.0.0.1:61614', 'tcp://0.0.0.0:61616'] },
    ],
  },
  { name: 'destinationPolicy', parents: ['broker'], doc: 'Per-destination policies (policyMap/policyEntries/policyEntry).', attributes: [] },
  { name: 'policyMap', parents: ['destinationPolicy'], doc: 'Holds policyEntries.', attributes: [] },
  { name: 'policyEntries', parents: ['policyMap'], doc: 'One policyEntry per destination pattern.', attributes: [] },
  { name: 'policyEntry', parents: ['policyEntries'], doc: 'A policy for matching destinations (wildcards . * >).', attributes: [
    { name: 'queue', doc: 'Queue pattern, e.g. ">" or "orders.*".' },
    { name: 'topic', doc: 'Topic pattern, e.g. "FOO.>".' },
    { name: 'queuePrefetch', doc: 'Prefetch for queue consumers.', default: '1000' },
    { name: 'topicPrefetch', doc: 'Prefetch for topic subscribers.', default: '32767' },
    { name: 'prioritizedMessages', doc: 'Dispatch by JMS priority.', default: 'false', values: BOOL },
    { name: 'maxPageSize', doc: 'Persistent queue messages kept in memory per queue; the rest are paged in from the store.', default: '200' },
  ] },
  { name: 'plugins', parents: ['broker'], doc: 'Broker plugins: the security ones are enforced; any other is named in one warning (plugin-ignored).', attributes: [] },
  { name: 'simpleAuthenticationPlugin', parents: ['plugins'], doc: 'Users, passwords and groups in the config; STOMP CONNECT login/passcode are checked against them.', attributes: [
    { name: 'anonymousAccessAllowed', doc: 'A CONNECT with neither login nor passcode is let in as the anonymous user.', default: 'false', values: BOOL },
    { name: 'anonymousUser', doc: 'The anonymous user\'s name.', default: 'anonymous' },
    { name: 'anonymousGroup', doc: 'The anonymous user\'s group.', default: 'anonymous' },
  ] },
  { name: 'users', parents: ['simpleAuthenticationPlugin'], doc: 'Holds authenticationUser elements.', attributes: [] },
  { name: 'authenticationUser', parents: ['users'], doc: 'One user.', attributes: [
    { name: 'username', doc: 'User name (STOMP login).' },
    { name: 'password', doc: 'Password (STOMP passcode).' },
    { name: 'groups', doc: 'Comma-separated groups, used by the authorization map.' },
  ] },
  { name: 'jaasAuthenticationPlugin', parents: ['plugins'], doc: 'Users from login.config beside activemq.xml with ActiveMQ\'s PropertiesLoginModule (users.properties, groups.properties).', attributes: [
    { name: 'configuration', doc: 'The entry of login.config to use.', default: 'activemq' },
  ] },
  { name: 'authorizationPlugin', parents: ['plugins'], doc: 'Read/write/admin rights per destination pattern.', attributes: [] },
  { name: 'map', parents: ['authorizationPlugin'], doc: 'Holds the authorizationMap.', attributes: [] },
  { name: 'authorizationMap', parents: ['map'], doc: 'authorizationEntries and the temp-destination entry.', attributes: [] },
  { name: 'authorizationEntries', parents: ['authorizationMap'], doc: 'One authorizationEntry per destination pattern; every matching entry applies (union).', attributes: [] },
  { name: 'authorizationEntry', parents: ['authorizationEntries'], doc: 'Groups allowed to read (subscribe), write (send) and admin (create) matching destinations.', attributes: [
    { name: 'queue', doc: 'Queue pattern (wildcards . * >); exactly one of queue/topic.' },
    { name: 'topic', doc: 'Topic pattern (wildcards . * >); exactly one of queue/topic.' },
    { name: 'read', doc: 'Comma-separated groups that may subscribe.' },
    { name: 'write', doc: 'Comma-separated groups that may send.' },
    { name: 'admin', doc: 'Comma-separated groups that may create the destination (first use).' },
  ] },
  { name: 'tempDestinationAuthorizationEntry', parents: ['authorizationMap', 'tempDestinationAuthorizationEntry'], doc: 'Rights on every temporary destination (the element nests in one of the same name); absent: open to all.', attributes: [
    { name: 'read', doc: 'Comma-separated groups that may subscribe.' },
    { name: 'write', doc: 'Comma-separated groups that may send.' },
    { name: 'admin', doc: 'Comma-separated groups that may create one.' },
  ] },
];

const byName = new Map(CONFIG_ELEMENTS.map((e) => [e.name, e]));

export function elementSpec(name: string): ElementSpec | undefined {
  return byName.get(name);
}

/** Elements allowed inside `parent` (the root's when parent is null). */
export function childElements(parent: string | null): ElementSpec[] {
  return CONFIG_ELEMENTS.filter((e) => (parent === null ? e.parents.length === 0 || e.name === 'broker' : e.parents.includes(parent)));
}

export function attributeSpec(element: string, attribute: string): AttributeSpec | undefined {
  return byName.get(element)?.attributes.find((a) => a.name === attribute);
}

/** One line for a hover: the doc and the default. */
export function describeAttribute(element: string, attribute: string): string | null {
  const spec = attributeSpec(element, attribute);
  if (!spec) return null;
  return `${element} @${spec.name}${spec.default !== undefined ? ` (default ${spec.default})` : ''}: ${spec.doc}`;
}

/** The default of an attribute that has one; throws for a name not in the table (a bug, caught by the tests). */
function requiredDefault(element: string, attribute: string): string {
  const value = attributeSpec(element, attribute)?.default;
  if (value === undefined) throw new Error(`config schema: ${element} @${attribute} has no default`);
  return value;
}

/** A numeric default (milliseconds, counts) as the loader applies it. */
export function numberDefault(element: string, attribute: string): number {
  const value = Number(requiredDefault(element, attribute));
  if (!Number.isFinite(value)) throw new Error(`config schema: ${element} @${attribute} default is not a number`);
  return value;
}

/** A boolean default as the loader applies it. */
export function booleanDefault(element: string, attribute: string): boolean {
  const value = requiredDefault(element, attribute);
  if (value !== 'true' && value !== 'false') throw new Error(`config schema: ${element} @${attribute} default is not a boolean`);
  return value === 'true';
}

/** A text default as the loader applies it. */
export function stringDefault(element: string, attribute: string): string {
  return requiredDefault(element, attribute);
}
