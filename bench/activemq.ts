import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { portAccepts } from '../test/support/broker-process.js';

/**
 * A real ActiveMQ Classic (Debian's `activemq` package) on JDBC, for side-by-side benchmarks: the
 * same PostgreSQL our brokers use, its own schema, STOMP on 127.0.0.1. Benchmarks skip it (and say
 * why) where the package or its JDBC helpers are not installed.
 */

const HOME = '/usr/share/activemq';
const JAR = join(HOME, 'bin/activemq.jar');
/**
 * Jars ActiveMQ needs beside its own: the JDBC driver (its PGPoolingDataSource is the pool, as
 * Debian ships no commons-dbcp), and xstream + jettison, without which it drops a STOMP connection
 * when converting an advisory message.
 */
const EXTRA_JARS = ['/usr/share/java/postgresql.jar', '/usr/share/java/xstream.jar', '/usr/share/java/jettison.jar'];
/** Java 17 closes the JDK internals ActiveMQ 5.17 reflects on. */
const OPENS = ['java.lang', 'java.util', 'java.util.concurrent', 'java.net', 'java.security', 'java.io'].map((p) => `--add-opens=java.base/${p}=ALL-UNNAMED`);

/** Why a real ActiveMQ cannot run here, or null when it can. */
export function activemqMissing(): string | null {
  if (!existsSync(JAR)) return `no ${JAR} (apt-get install activemq)`;
  const missing = EXTRA_JARS.filter((j) => !existsSync(j));
  if (missing.length) return `missing ${missing.join(', ')} (apt-get install libpostgresql-jdbc-java libxstream-java libjettison-java)`;
  return null;
}

export interface PgServer {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
}

export interface RunningActiveMq {
  port: number;
  pid: number;
  stop(): Promise<void>;
  log(): string;
}

function xml(pg: PgServer, schema: string, port: number): string {
  return `<beans xmlns="http://www.springframework.org/schema/beans" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.springframework.org/schema/beans http://www.springframework.org/schema/beans/spring-beans.xsd
  http://activemq.apache.org/schema/core http://activemq.apache.org/schema/core/activemq-core.xsd">
  <broker xmlns="http://activemq.apache.org/schema/core" brokerName="bench" useJmx="false" dataDirectory="\${activemq.data}">
    <persistenceAdapter>
      <jdbcPersistenceAdapter dataSource="#pg-ds" createTablesOnStartup="true" lockKeepAlivePeriod="1000"/>
    </persistenceAdapter>
    <transportConnectors>
      <transportConnector name="stomp" uri="stomp://127.0.0.1:${port}?transport.tcpNoDelay=true"/>
    </transportConnectors>
  </broker>
  <bean id="pg-ds" class="org.postgresql.ds.PGPoolingDataSource" destroy-method="close">
    <property name="serverName" value="${pg.host}"/>
    <property name="portNumber" value="${pg.port}"/>
    <property name="databaseName" value="${pg.database}"/>
    <property name="user" value="${pg.user}"/>
    <property name="password" value="${pg.password}"/>
    <property name="currentSchema" value="${schema}"/>
    <property name="binaryTransfer" value="false"/>
    <property name="maxConnections" value="20"/>
  </bean>
</beans>
`;
}

/** Starts ActiveMQ and resolves once its STOMP port accepts connections. */
export async function startActiveMq(pg: PgServer, schema: string, port: number, timeoutMs = 60_000): Promise<RunningActiveMq> {
  const dir = mkdtempSync(join(tmpdir(), 'failover-lab-activemq-'));
  mkdirSync(join(dir, 'conf'));
  mkdirSync(join(dir, 'lib'));
  mkdirSync(join(dir, 'data'));
  for (const jar of EXTRA_JARS) symlinkSync(jar, join(dir, 'lib', jar.split('/').pop()!));
  writeFileSync(join(dir, 'conf/activemq.xml'), xml(pg, schema, port));
  writeFileSync(join(dir, 'conf/log4j2.properties'), 'rootLogger.level=WARN\nrootLogger.appenderRef.console.ref=Console\nappender.console.type=Console\nappender.console.name=Console\nappender.console.layout.type=PatternLayout\nappender.console.layout.pattern=%d %p %m%n\n');
  const args = [
    '-Xmx256m',
    ...OPENS,
    '--add-reads=java.xml=java.logging',
    `-Dactivemq.home=${HOME}`,
    `-Dactivemq.base=${dir}`,
    `-Dactivemq.conf=${dir}/conf`,
    `-Dactivemq.data=${dir}/data`,
    `-Dlog4j2.configurationFile=${dir}/conf/log4j2.properties`,
    '-jar',
    JAR,
    'start',
    `xbean:file:${dir}/conf/activemq.xml`,
  ];
  const child: ChildProcess = spawn('java', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  while (!(await portAccepts(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`ActiveMQ did not open stomp://127.0.0.1:${port}:\n${output.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { port, pid: child.pid!, stop, log: () => output };
}
