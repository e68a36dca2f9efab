import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { loadConfig } from '../../broker/config/index.js';
import { inspectTemplate, renderBrokerXml, withPort } from './cluster-template.js';

const SEED = readFileSync(new URL('../../test/fixtures/config/seed-jdbc-master-slave.xml', import.meta.url), 'utf8');
const EXAMPLE = readFileSync(new URL('../../examples/lease-postgres.xml', import.meta.url), 'utf8');

const sqlite = { kind: 'sqlite' as const, file: '/tmp/lab/c1/failover-lab.sqlite' };
const postgres = { kind: 'postgres' as const, host: '127.0.0.1', port: 40001, database: 'db', user: 'u', password: 'p&"w', schema: 'fl_c1' };

describe('withPort', () => {
  it('replaces a written port, a placeholder port or a missing one and keeps the query', () => {
    expect(withPort('tcp://localhost:61616?maximumConnections=1000&amp;x=1', 5000)).toBe('tcp://localhost:5000?maximumConnections=1000&amp;x=1');
    expect(withPort('stomp://127.0.0.1:${port}', 5001)).toBe('stomp://127.0.0.1:5001');
    expect(withPort('ws://0.0.0.0', 5002)).toBe('ws://0.0.0.0:5002');
  });
});

describe('renderBrokerXml', () => {
  it("turns the seed's config into a broker on the cluster's SQLite file with its own port and data directory", () => {
    const rendered = renderBrokerXml(SEED, { brokerName: 'broker2', connectorPorts: [5100], dataDirectory: '/tmp/lab/c1/broker2', dataSource: sqlite, templateName: 'seed.xml' });
    expect(rendered.ok).toBe(true);
    if (!rendered.ok) return;
    const { config, diagnostics } = loadConfig(rendered.xml, { brokerName: 'broker2' });
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(config?.persistence.store).toEqual({ kind: 'sqlite', file: sqlite.file, origin: 'sqlite' });
    expect(config?.transportConnectors.map((c) => c.port)).toEqual([5100]);
    expect(config?.dataDirectory).toBe('/tmp/lab/c1/broker2');
    expect(rendered.xml).toContain('<strictOrderDispatchPolicy />');
  });

  it('points a PostgreSQL template at the link proxy and the cluster schema, escaping values', () => {
    const rendered = renderBrokerXml(EXAMPLE, { brokerName: 'broker1', connectorPorts: [5200], dataDirectory: '/d', dataSource: postgres, templateName: 'lease-postgres.xml' });
    if (!rendered.ok) throw new Error(rendered.message);
    const { config } = loadConfig(rendered.xml, { brokerName: 'broker1' });
    expect(config?.persistence.store).toEqual({ kind: 'postgres', host: '127.0.0.1', port: 40001, database: 'db', user: 'u', password: 'p&"w', schema: 'fl_c1' });
    expect(config?.persistence.locker.kind).toBe('lease-database-locker');
    expect(config?.transportConnectors[0]?.port).toBe(5200);
  });

  it('wraps a bare <broker> root in <beans> to hold the data source', () => {
    const bare = `<broker xmlns="http://activemq.apache.org/schema/core" brokerName="b">
  <persistenceAdapter><jdbcPersistenceAdapter/></persistenceAdapter>
  <transportConnectors><transportConnector name="s" uri="stomp://127.0.0.1:61613"/><transportConnector name="w" uri="ws://127.0.0.1:61614"/></transportConnectors>
</broker>`;
    const rendered = renderBrokerXml(bare, { brokerName: 'b', connectorPorts: [1, 2], dataDirectory: '/d', dataSource: sqlite, templateName: 't' });
    if (!rendered.ok) throw new Error(rendered.message);
    const { config, diagnostics } = loadConfig(rendered.xml);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(config?.transportConnectors.map((c) => c.port)).toEqual([1, 2]);
  });

  it('refuses a template without a jdbcPersistenceAdapter, naming what it has', () => {
    const kaha = `<beans><broker xmlns="http://activemq.apache.org/schema/core"><persistenceAdapter><kahaDB directory="x"/></persistenceAdapter>
      <transportConnectors><transportConnector uri="tcp://a:1"/></transportConnectors></broker></beans>`;
    expect(inspectTemplate(kaha)).toEqual({ ok: false, message: expect.stringContaining('(it has <kahaDB>)') });
  });

  it('counts the connectors a template needs ports for and reports broken XML with its position', () => {
    expect(inspectTemplate(SEED)).toEqual({ ok: true, connectors: 1 });
    expect(inspectTemplate('<beans><broker>')).toEqual({ ok: false, message: expect.stringMatching(/not well-formed XML: line 1:/) });
  });
});
