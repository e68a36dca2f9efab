import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from './broker-config.js';
import { formatDiagnostic } from './diagnostics.js';
import { checkConfigFile, loadConfig, loadConfigFile } from './load-config.js';

const fixtures = new URL('../../test/fixtures/config/', import.meta.url).pathname;
const cwd = '/srv/lab';
const tmp = mkdtempSync(join(tmpdir(), 'config-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const codes = (diagnostics: readonly Diagnostic[]): string[] => diagnostics.map((d) => d.code);
const errors = (diagnostics: readonly Diagnostic[]): Diagnostic[] => diagnostics.filter((d) => d.severity === 'error');

function broker(inner: string, attrs = '', beans = ''): string {
  return `<beans xmlns="http://www.springframework.org/schema/beans">\n<broker xmlns="http://activemq.apache.org/schema/core" ${attrs}>\n${inner}\n<transportConnectors><transportConnector name="s" uri="stomp://localhost:61613"/></transportConnectors>\n</broker>\n${beans}\n</beans>`;
}

describe('the seed configuration', () => {
  it('loads without errors as SQLite + database-locker + tcp://localhost:61616', async () => {
    const { config, diagnostics } = await loadConfigFile(join(fixtures, 'seed-jdbc-master-slave.xml'), { cwd });
    expect(errors(diagnostics)).toEqual([]);
    expect(config?.brokerName).toBe('localhost');
    expect(config?.persistence.store).toEqual({ kind: 'sqlite', file: '/srv/lab/activemq-data/failover-lab.sqlite', origin: 'default' });
    expect(config?.persistence.locker.kind).toBe('database-locker');
    expect(config?.persistence).toMatchObject({ lockKeepAlivePeriodMs: 30000, useLock: true, createTablesOnStartup: true });
    expect(config?.transportConnectors.map((c) => c.uri)).toEqual(['tcp://localhost:61616']);
    expect(config?.destinationPolicy).toMatchObject([{ destinationKind: 'topic', pattern: 'FOO.>', subscriptionRecovery: { kind: 'last-image' } }]);
  });
});

describe('broker attributes', () => {
  it('defaults brokerName, persistent and dataDirectory like ActiveMQ', () => {
    const { config } = loadConfig(broker(''), { cwd });
    expect(config).toMatchObject({ brokerName: 'localhost', persistent: true, dataDirectory: '/srv/lab/activemq-data', sourceFile: null });
  });

  it('lets --name override brokerName', () => {
    expect(loadConfig(broker('', 'brokerName="xml"'), { cwd, brokerName: 'cli' }).config?.brokerName).toBe('cli');
  });

  it('keeps a persistent="false" config valid but warns that it is memory-only and lockless', () => {
    const { config, diagnostics } = loadConfig(broker('', 'persistent="false"'), { cwd });
    expect(config?.persistent).toBe(false);
    expect(diagnostics.find((d) => d.code === 'memory-only')?.severity).toBe('warning');
  });

  it('rejects persistent="maybe" at the attribute', () => {
    const { config, diagnostics } = loadConfig(broker('', 'persistent="maybe"'), { cwd });
    expect(config).toBeNull();
    expect(diagnostics.find((d) => d.code === 'invalid-boolean')).toMatchObject({ line: 2, column: 56 });
  });

  it('freezes the result', () => {
    const { config } = loadConfig(broker(''), { cwd });
    expect(Object.isFrozen(config?.persistence.locker)).toBe(true);
  });

  it('accepts <broker> as the root element', () => {
    const xml = '<broker xmlns="http://activemq.apache.org/schema/core" brokerName="solo"><transportConnectors><transportConnector uri="stomp://localhost:0"/></transportConnectors></broker>';
    expect(loadConfig(xml, { cwd }).config?.brokerName).toBe('solo');
  });
});

describe('jdbcPersistenceAdapter and lockers', () => {
  it('reads the adapter attributes and a database-locker', () => {
    const { config, diagnostics } = loadConfig(broker(`<persistenceAdapter>
      <jdbcPersistenceAdapter dataDirectory="shared" lockKeepAlivePeriod="5000" createTablesOnStartup="false" useLock="true">
        <locker><database-locker lockAcquireSleepInterval="200" failIfLocked="true"/></locker>
      </jdbcPersistenceAdapter></persistenceAdapter>`), { cwd });
    expect(errors(diagnostics)).toEqual([]);
    expect(config?.persistence).toEqual({
      store: { kind: 'sqlite', file: '/srv/lab/shared/failover-lab.sqlite', origin: 'default' },
      lockKeepAlivePeriodMs: 5000,
      createTablesOnStartup: false,
      useLock: true,
      locker: { kind: 'database-locker', lockAcquireSleepIntervalMs: 200, leaseHolderId: null, maxAllowableDiffFromDbTimeMs: 0, failIfLocked: true },
    });
  });

  it('applies the old-style lockAcquireSleepInterval on the adapter to the default locker', () => {
    const { config } = loadConfig(broker('<persistenceAdapter><jdbcPersistenceAdapter lockAcquireSleepInterval="750"/></persistenceAdapter>'), { cwd });
    expect(config?.persistence.locker.lockAcquireSleepIntervalMs).toBe(750);
  });

  it('reads a tuned lease-database-locker on PostgreSQL without the lease warning', async () => {
    const { config, diagnostics } = await loadConfigFile(join(fixtures, 'lease-locker-tuned.xml'), { cwd });
    expect(errors(diagnostics)).toEqual([]);
    expect(codes(diagnostics)).not.toContain('lease-renewed-less-often-than-it-lasts');
    expect(config?.persistence.locker).toEqual({ kind: 'lease-database-locker', lockAcquireSleepIntervalMs: 10000, leaseHolderId: 'b1', maxAllowableDiffFromDbTimeMs: 1000, failIfLocked: false });
    expect(config?.persistence.store).toEqual({ kind: 'postgres', host: '127.0.0.1', port: 5432, database: 'failover_lab', user: 'failover_lab', password: 'failover_lab', schema: 'lab' });
    expect(config?.transportConnectors[0]?.options).toEqual({ 'transport.defaultHeartBeat': '5000,0' });
  });

  it('warns loudly that a bare lease-database-locker lets the lease expire before renewal', async () => {
    const { config, diagnostics } = await loadConfigFile(join(fixtures, 'lease-locker-default-timings.xml'), { cwd });
    const warning = diagnostics.find((d) => d.code === 'lease-renewed-less-often-than-it-lasts');
    expect(warning).toMatchObject({ severity: 'warning', line: 7, column: 11, path: 'beans/broker/persistenceAdapter/jdbcPersistenceAdapter/locker/lease-database-locker' });
    expect(warning?.message).toContain('lockKeepAlivePeriod=30000');
    expect(warning?.message).toContain('lockAcquireSleepInterval=10000');
    expect(warning?.message).toContain('two or more masters at once');
    expect(config?.persistence.store).toEqual({ kind: 'sqlite', file: '/srv/lab/data/shared.sqlite', origin: 'sqlite' });
    expect(config?.brokerName).toBe('broker1');
  });

  it('warns when keep-alive equals the lease length, and when keep-alive is off', () => {
    const equal = loadConfig(broker('<persistenceAdapter><jdbcPersistenceAdapter lockKeepAlivePeriod="5000"><locker><lease-database-locker lockAcquireSleepInterval="5000"/></locker></jdbcPersistenceAdapter></persistenceAdapter>'), { cwd });
    expect(codes(equal.diagnostics)).toContain('lease-renewed-less-often-than-it-lasts');
    const off = loadConfig(broker('<persistenceAdapter><jdbcPersistenceAdapter lockKeepAlivePeriod="0"><locker><lease-database-locker/></locker></jdbcPersistenceAdapter></persistenceAdapter>'), { cwd });
    expect(codes(off.diagnostics)).toContain('lease-never-renewed');
  });

  it('warns that lockDataSource is ignored', () => {
    const { diagnostics } = loadConfig(broker('<persistenceAdapter><jdbcPersistenceAdapter lockDataSource="#other"/></persistenceAdapter>'), { cwd });
    expect(diagnostics.find((d) => d.code === 'lock-data-source-ignored')?.severity).toBe('warning');
  });

  it('rejects a non-numeric lockKeepAlivePeriod at the attribute', () => {
    const { config, diagnostics } = loadConfig(broker('<persistenceAdapter><jdbcPersistenceAdapter lockKeepAlivePeriod="30s"/></persistenceAdapter>'), { cwd });
    expect(config).toBeNull();
    expect(diagnostics.find((d) => d.code === 'invalid-number')).toMatchObject({ line: 3, column: 45 });
  });
});

describe('data sources', () => {
  const adapter = (ref: string): string => `<persistenceAdapter><jdbcPersistenceAdapter dataSource="${ref}"/></persistenceAdapter>`;

  it('maps PGSimpleDataSource with port 0 to PostgreSQL on 5432', () => {
    const bean = '<bean id="pg" class="org.postgresql.ds.PGSimpleDataSource"><property name="databaseName" value="amq"/><property name="portNumber" value="0"/><property name="user" value="u"/><property name="password" value="p"/></bean>';
    expect(loadConfig(broker(adapter('#pg'), '', bean), { cwd }).config?.persistence.store).toEqual({ kind: 'postgres', host: 'localhost', port: 5432, database: 'amq', user: 'u', password: 'p', schema: 'public' });
  });

  it('maps a dbcp2 BasicDataSource with a jdbc:postgresql url', () => {
    const bean = '<bean id="ds" class="org.apache.commons.dbcp2.BasicDataSource"><property name="url" value="jdbc:postgresql://pg:6543/amq?currentSchema=s1"/><property name="username" value="u"/><property name="password"><value>secret</value></property></bean>';
    expect(loadConfig(broker(adapter('#ds'), '', bean), { cwd }).config?.persistence.store).toEqual({ kind: 'postgres', host: 'pg', port: 6543, database: 'amq', user: 'u', password: 'secret', schema: 's1' });
  });

  it('rejects a dbcp url of a database we cannot run, naming it', () => {
    const bean = '<bean id="mysql-ds" class="org.apache.commons.dbcp.BasicDataSource">\n  <property name="url" value="jdbc:mysql://localhost/activemq?relaxAutoCommit=true"/>\n</bean>';
    const { config, diagnostics } = loadConfig(broker(adapter('#mysql-ds'), '', bean), { cwd });
    expect(config).toBeNull();
    const error = diagnostics.find((d) => d.code === 'database-unsupported');
    expect(error?.message).toContain('MySQL');
    expect(error).toMatchObject({ line: 7, column: 24, path: 'beans/bean/property' });
  });

  it('maps embedded Derby to the SQLite file under the adapter dataDirectory', () => {
    const bean = '<bean id="derby-ds" class="org.apache.derby.jdbc.EmbeddedDataSource"><property name="databaseName" value="derbydb"/></bean>';
    const xml = broker('<persistenceAdapter><jdbcPersistenceAdapter dataDirectory="/var/amq" dataSource="#derby-ds"/></persistenceAdapter>', '', bean);
    expect(loadConfig(xml, { cwd }).config?.persistence.store).toEqual({ kind: 'sqlite', file: '/var/amq/failover-lab.sqlite', origin: 'derby' });
  });

  it('rejects an in-memory SQLite url, an unknown class and a missing bean', () => {
    const memory = loadConfig(broker(adapter('#s'), '', '<bean id="s" class="org.sqlite.SQLiteDataSource"><property name="url" value="jdbc:sqlite::memory:"/></bean>'), { cwd });
    expect(codes(memory.diagnostics)).toContain('sqlite-not-shared');
    const unknown = loadConfig(broker(adapter('#h'), '', '<bean id="h" class="org.h2.jdbcx.JdbcDataSource"/>'), { cwd });
    expect(codes(unknown.diagnostics)).toContain('data-source-unsupported');
    const missing = loadConfig(broker(adapter('#nope')), { cwd });
    expect(codes(missing.diagnostics)).toContain('data-source-not-found');
    expect(missing.config).toBeNull();
  });
});

describe('kahaDB and the absent adapter', () => {
  it('runs <kahaDB directory> as an SQLite store in that directory, with a warning', () => {
    const { config, diagnostics } = loadConfig(broker('<persistenceAdapter><kahaDB directory="${activemq.data}/kahadb"/></persistenceAdapter>'), { cwd });
    expect(config?.persistence.store).toEqual({ kind: 'sqlite', file: '/srv/lab/data/kahadb/failover-lab.sqlite', origin: 'kahaDB' });
    expect(config?.persistence.locker.kind).toBe('database-locker');
    expect(diagnostics.find((d) => d.code === 'kahadb-as-sqlite')?.severity).toBe('warning');
  });

  it('uses an SQLite store under dataDirectory when there is no persistenceAdapter', () => {
    const { config, diagnostics } = loadConfig(broker('', 'dataDirectory="/d"'), { cwd });
    expect(config?.persistence.store).toEqual({ kind: 'sqlite', file: '/d/failover-lab.sqlite', origin: 'default' });
    expect(codes(diagnostics)).toContain('default-kahadb-as-sqlite');
  });
});

describe('placeholders and properties files', () => {
  it('resolves -D properties first, then activemq.base/home/conf/data', () => {
    const xml = broker('', 'brokerName="${name}" dataDirectory="${activemq.conf}/x"');
    const { config } = loadConfig(xml, { cwd, file: '/etc/amq/activemq.xml', properties: { name: 'b7' } });
    expect(config).toMatchObject({ brokerName: 'b7', dataDirectory: '/etc/amq/x' });
  });

  it('reports an unresolved placeholder as an error at the attribute', () => {
    const { config, diagnostics } = loadConfig(broker('', 'brokerName="${broker.id}"'), { cwd });
    expect(config).toBeNull();
    const error = diagnostics.find((d) => d.code === 'unresolved-placeholder');
    expect(error).toMatchObject({ severity: 'error', line: 2, column: 56, path: 'beans/broker' });
    expect(error?.message).toContain('${broker.id}');
  });

  it('loads the properties files of a PropertyPlaceholderConfigurer', () => {
    writeFileSync(join(tmp, 'credentials.properties'), '# lab\nbroker.id = from-file\ndb.url=jdbc:sqlite:store.db\n');
    const configurer = `<bean class="org.springframework.beans.factory.config.PropertyPlaceholderConfigurer">
      <property name="locations"><list><value>file:\${activemq.conf}/credentials.properties</value></list></property></bean>`;
    const ds = '<bean id="ds" class="org.sqlite.SQLiteDataSource"><property name="url" value="${db.url}"/></bean>';
    const xml = broker('<persistenceAdapter><jdbcPersistenceAdapter dataSource="#ds"/></persistenceAdapter>', 'brokerName="${broker.id}"', configurer + ds);
    const { config, diagnostics } = loadConfig(xml, { cwd: tmp, file: join(tmp, 'activemq.xml') });
    expect(errors(diagnostics)).toEqual([]);
    expect(config?.brokerName).toBe('from-file');
    expect(config?.persistence.store).toEqual({ kind: 'sqlite', file: join(tmp, 'store.db'), origin: 'sqlite' });
  });

  it('lets file properties win over -D unless systemPropertiesModeName says OVERRIDE (Spring FALLBACK default)', () => {
    writeFileSync(join(tmp, 'names.properties'), 'broker.id=file\n');
    const configurer = (mode: string): string => `<bean class="org.springframework.beans.factory.config.PropertyPlaceholderConfigurer">
      <property name="location" value="${join(tmp, 'names.properties')}"/>${mode}</bean>`;
    const fallback = loadConfig(broker('', 'brokerName="${broker.id}"', configurer('')), { cwd, properties: { 'broker.id': 'cli' } });
    expect(fallback.config?.brokerName).toBe('file');
    const override = loadConfig(broker('', 'brokerName="${broker.id}"', configurer('<property name="systemPropertiesModeName" value="SYSTEM_PROPERTIES_MODE_OVERRIDE"/>')), { cwd, properties: { 'broker.id': 'cli' } });
    expect(override.config?.brokerName).toBe('cli');
  });

  it('warns about a missing properties file without failing', () => {
    const configurer = '<bean class="org.springframework.context.support.PropertySourcesPlaceholderConfigurer"><property name="locations"><value>file:/nonexistent/credentials.properties</value></property></bean>';
    const { config, diagnostics } = loadConfig(broker('', '', configurer), { cwd });
    expect(config).not.toBeNull();
    expect(diagnostics.find((d) => d.code === 'properties-file-missing')?.severity).toBe('warning');
  });
});

describe('transport connectors', () => {
  it('serves STOMP-capable schemes, warns about MQTT/AMQP and rejects TLS and bad URIs at the attribute', () => {
    const xml = `<broker xmlns="http://activemq.apache.org/schema/core">
  <transportConnectors>
    <transportConnector name="openwire" uri="tcp://0.0.0.0:61616?maximumConnections=1000"/>
    <transportConnector name="nio" uri="auto+nio://0.0.0.0:0"/>
    <transportConnector name="mqtt" uri="mqtt://0.0.0.0:1883"/>
    <transportConnector name="amqp" uri="amqp://0.0.0.0:5672"/>
    <transportConnector name="tls" uri="stomp+ssl://0.0.0.0:61612"/>
    <transportConnector name="bad" uri="stomp://localhost"/>
    <transportConnector name="again" uri="stomp://localhost:61616"/>
  </transportConnectors>
</broker>`;
    const { config, diagnostics } = loadConfig(xml, { cwd });
    expect(config).toBeNull();
    expect(diagnostics.filter((d) => d.code.startsWith('connector') || d.code === 'invalid-connector-uri').map((d) => [d.severity, d.code, d.line, d.column])).toEqual([
      ['warning', 'connector-protocol-not-served', 5, 37],
      ['warning', 'connector-protocol-not-served', 6, 37],
      ['error', 'connector-tls-unsupported', 7, 36],
      ['error', 'invalid-connector-uri', 8, 36],
      ['error', 'connector-port-in-use', 9, 38],
    ]);
  });

  it('keeps the host as written and the name or the uri as the connector name', () => {
    const xml = '<broker xmlns="http://activemq.apache.org/schema/core"><transportConnectors><transportConnector uri="nio://0.0.0.0:61616"/></transportConnectors></broker>';
    expect(loadConfig(xml, { cwd }).config?.transportConnectors[0]).toEqual({ name: 'nio://0.0.0.0:61616', uri: 'nio://0.0.0.0:61616', scheme: 'nio', host: '0.0.0.0', port: 61616, options: {} });
  });
});

describe('elements we do not run', () => {
  it('warns, with positions and paths, about ignored elements inside and outside <broker>', () => {
    const xml = broker('<managementContext><managementContext createConnector="false"/></managementContext>\n<plugins><statisticsBrokerPlugin/></plugins>\n<systemUsage/>', '', '<import resource="jetty.xml"/>\n<bean id="x" class="org.eclipse.jetty.server.Server"/>\n<camelContext xmlns="http://camel.apache.org/schema/spring"/>');
    const { config, diagnostics } = loadConfig(xml, { cwd });
    expect(config).not.toBeNull();
    const warnings = diagnostics.filter((d) => ['element-ignored', 'plugin-ignored', 'import-not-followed', 'bean-ignored'].includes(d.code));
    expect(warnings.map((d) => [d.code, d.line, d.path])).toEqual([
      ['element-ignored', 3, 'beans/broker/managementContext'],
      ['plugin-ignored', 4, 'beans/broker/plugins/statisticsBrokerPlugin'],
      ['element-ignored', 5, 'beans/broker/systemUsage'],
      ['import-not-followed', 8, 'beans/import'],
      ['bean-ignored', 9, 'beans/bean'],
      ['element-ignored', 10, 'beans/camelContext'],
    ]);
    expect(warnings.every((d) => d.severity === 'warning')).toBe(true);
  });

  it('rejects a document without <broker> and an unknown root', () => {
    expect(codes(loadConfig('<beans/>', { cwd }).diagnostics)).toEqual(['no-broker']);
    expect(codes(loadConfig('<configuration/>', { cwd }).diagnostics)).toEqual(['unknown-root']);
  });

  it('never throws, whatever the input', () => {
    for (const xml of ['', '<', '<<<>>>', '<beans><broker', '\u0000', '<beans>'.repeat(50), '<broker xmlns="http://activemq.apache.org/schema/core"><persistenceAdapter/></broker>']) {
      const result = loadConfig(xml, { cwd });
      expect(result.config).toBeNull();
      expect(errors(result.diagnostics).length).toBeGreaterThan(0);
    }
  });
});

describe('files and the config check', () => {
  it('reports a missing file as an error at 1:1 instead of throwing', async () => {
    const { config, diagnostics } = await loadConfigFile('/nonexistent/activemq.xml');
    expect(config).toBeNull();
    expect(diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'config-file-unreadable', line: 1, column: 1 })]);
  });

  it('exits 2 on a broken file and 0 on the seed', async () => {
    const broken = await checkConfigFile(join(fixtures, 'broken.xml'), { cwd });
    expect(broken.exitCode).toBe(2);
    expect(broken.diagnostics.filter((d) => d.code === 'xml-not-well-formed')).toHaveLength(5);
    expect((await checkConfigFile(join(fixtures, 'seed-jdbc-master-slave.xml'), { cwd })).exitCode).toBe(0);
  });

  it('formats a diagnostic as file:line:col severity message [code]', () => {
    const d: Diagnostic = { severity: 'error', message: 'no port', line: 3, column: 7, path: 'beans/broker', code: 'invalid-connector-uri' };
    expect(formatDiagnostic(d, 'activemq.xml')).toBe('activemq.xml:3:7 error no port [invalid-connector-uri]');
  });
});
