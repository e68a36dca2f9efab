import pg from 'pg';
import { BrokerProcess, freePort, tempDir, writeFile } from './broker-process.js';

export const PG_URL = process.env.FAILOVER_LAB_PG_URL ?? 'postgres://failover_lab:failover_lab@127.0.0.1:5432/failover_lab';

export type StoreKind = 'sqlite' | 'postgres';
export type LockerKind = 'database-locker' | 'lease-database-locker';

export interface ClusterOptions {
  store: StoreKind;
  locker: LockerKind;
  brokers?: number;
  /** lockKeepAlivePeriod (ms). */
  keepAliveMs?: number;
  /** lockAcquireSleepInterval (ms): the lease length for the lease locker. */
  acquireSleepMs?: number;
  /** Also give every broker a `ws://` connector (STOMP over WebSocket) on a port of its own. */
  ws?: boolean;
  /** Inner XML of a `<plugins>` element (security plugins), put into every broker's config. */
  plugins?: string;
  /** The main connector's scheme: `stomp` (default), or `tcp` to serve OpenWire beside STOMP. */
  scheme?: 'stomp' | 'tcp' | 'nio' | 'auto';
}

/** A fresh PostgreSQL schema for one test; dropped by `dispose()`. */
export async function createPgSchema(): Promise<{ schema: string; dispose(): Promise<void> }> {
  const schema = `it_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.end();
  return {
    schema,
    async dispose() {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    },
  };
}

export function brokerXml(options: ClusterOptions & { schema?: string }): string {
  const keepAlive = options.keepAliveMs ?? (options.locker === 'lease-database-locker' ? 300 : 1000);
  const acquire = options.acquireSleepMs ?? 1000;
  const pgUrl = new URL(PG_URL);
  const dataSource =
    options.store === 'postgres'
      ? `<bean id="pg-ds" class="org.postgresql.ds.PGSimpleDataSource">
    <property name="serverName" value="${pgUrl.hostname}"/>
    <property name="portNumber" value="${pgUrl.port || 5432}"/>
    <property name="databaseName" value="${pgUrl.pathname.slice(1)}"/>
    <property name="user" value="${decodeURIComponent(pgUrl.username)}"/>
    <property name="password" value="${decodeURIComponent(pgUrl.password)}"/>
    <property name="currentSchema" value="${options.schema}"/>
  </bean>`
      : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<beans xmlns="http://www.springframework.org/schema/beans">
  <broker xmlns="http://activemq.apache.org/schema/core" brokerName="broker" dataDirectory="\${data}">
    <persistenceAdapter>
      <jdbcPersistenceAdapter ${options.store === 'postgres' ? 'dataSource="#pg-ds" ' : ''}lockKeepAlivePeriod="${keepAlive}">
        <locker><${options.locker} lockAcquireSleepInterval="${acquire}"/></locker>
      </jdbcPersistenceAdapter>
    </persistenceAdapter>
${options.plugins ? `    <plugins>\n${options.plugins}\n    </plugins>\n` : ''}
    <transportConnectors>
      <transportConnector name="${options.scheme ?? 'stomp'}" uri="${options.scheme ?? 'stomp'}://127.0.0.1:\${port}"/>${options.ws ? '\n      <transportConnector name="ws" uri="ws://127.0.0.1:${wsPort}"/>' : ''}
    </transportConnectors>
  </broker>
  ${dataSource}
</beans>
`;
}

/** N real broker processes sharing one store, started one after another (broker1 first). */
export class Cluster {
  readonly brokers: BrokerProcess[] = [];
  private pgSchema: { schema: string; dispose(): Promise<void> } | null = null;
  readonly dir = tempDir('cluster');
  configFile = '';
  private readonly wsPorts = new Map<string, number>();

  constructor(readonly options: ClusterOptions) {}

  async start(): Promise<this> {
    if (this.options.store === 'postgres') this.pgSchema = await createPgSchema();
    this.configFile = writeFile(this.dir, 'activemq.xml', brokerXml({ ...this.options, schema: this.pgSchema?.schema }));
    for (let i = 1; i <= (this.options.brokers ?? 3); i++) await this.launch(`broker${i}`);
    return this;
  }

  /** Starts (or restarts) broker `name` on its own port. */
  async launch(name: string, port?: number): Promise<BrokerProcess> {
    const previous = this.brokers.find((b) => b.name === name);
    const chosen = port ?? previous?.port ?? (await freePort());
    const args = ['--config', this.configFile, '--name', name, `-Dport=${chosen}`, `-Ddata=${this.dir}/data`];
    if (this.options.ws) {
      const wsPort = this.wsPorts.get(name) ?? (await freePort());
      this.wsPorts.set(name, wsPort);
      args.push(`-DwsPort=${wsPort}`);
    }
    const broker = new BrokerProcess(name, chosen, args, this.dir);
    if (previous) this.brokers.splice(this.brokers.indexOf(previous), 1, broker);
    else this.brokers.push(broker);
    return broker;
  }

  /** The `ws://` port of broker `name` (clusters started with `ws: true`). */
  wsPort(name: string): number {
    const port = this.wsPorts.get(name);
    if (port === undefined) throw new Error(`broker ${name} has no ws connector (start the cluster with ws: true)`);
    return port;
  }

  get(name: string): BrokerProcess {
    const broker = this.brokers.find((b) => b.name === name);
    if (!broker) throw new Error(`no broker ${name}`);
    return broker;
  }

  masters(): BrokerProcess[] {
    return this.brokers.filter((b) => !b.exited && b.state === 'master');
  }

  /** Waits until exactly one live broker is master and returns it. */
  async waitForMaster(timeoutMs = 15_000, exclude?: BrokerProcess): Promise<BrokerProcess> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const masters = this.masters().filter((b) => b !== exclude);
      if (masters.length === 1) return masters[0]!;
      if (Date.now() > deadline) throw new Error(`no single master: ${this.brokers.map((b) => `${b.name}=${b.state}${b.exited ? '(exited)' : ''}`).join(', ')}\n${this.brokers.map((b) => b.stderr).join('\n')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.brokers.map((b) => b.stop()));
    await this.pgSchema?.dispose();
  }
}
