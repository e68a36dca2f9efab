/**
 * Starting points for the Config view. The lab rewrites ports, dataDirectory and dataSource per
 * broker (docs/lab.md), so `store` says which lock store the template is meant for.
 */
export interface ConfigTemplate {
  id: string;
  name: string;
  description: string;
  /** `sqlite`, `pgmem` or `postgres` (the URL is asked for when creating the cluster). */
  store: 'sqlite' | 'pgmem' | 'postgres';
  xml: string;
}

const PG_BEAN = `  <bean id="postgres-ds" class="org.postgresql.ds.PGPoolingDataSource">
    <property name="serverName" value="\${pg.host:127.0.0.1}"/>
    <property name="portNumber" value="\${pg.port:5432}"/>
    <property name="databaseName" value="\${pg.database:failover_lab}"/>
    <property name="user" value="\${pg.user:failover_lab}"/>
    <property name="password" value="\${pg.password:failover_lab}"/>
  </bean>`;

/** The lab's own templates differ only in these parts; the rest is one shape. */
function labTemplate(parts: { placeholders?: boolean; broker?: string; adapter?: string; locker: string; beans?: string }): string {
  const placeholders = parts.placeholders ? '  <bean class="org.springframework.beans.factory.config.PropertyPlaceholderConfigurer"/>\n' : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<beans xmlns="http://www.springframework.org/schema/beans">
${placeholders}  <broker xmlns="http://activemq.apache.org/schema/core" brokerName="broker"${parts.broker ?? ''}>
    <persistenceAdapter>
      <jdbcPersistenceAdapter${parts.adapter ?? ''} lockKeepAlivePeriod="1000">
        <locker>
          <${parts.locker}/>
        </locker>
      </jdbcPersistenceAdapter>
    </persistenceAdapter>
    <transportConnectors>
      <transportConnector name="stomp" uri="stomp://127.0.0.1:61613"/>
    </transportConnectors>
  </broker>
${parts.beans ?? ''}</beans>
`;
}

export const CONFIG_TEMPLATES: readonly ConfigTemplate[] = [
  {
    id: 'seed',
    name: 'JDBC Master/Slave (the seed)',
    description: "ActiveMQ's JDBC Master/Slave example: default database-locker, one connector.",
    store: 'sqlite',
    xml: `<beans>

  <!-- Allows us to use system properties as variables in this configuration file -->
  <bean class="org.springframework.beans.factory.config.PropertyPlaceholderConfigurer"/>

  <broker xmlns="http://activemq.apache.org/schema/core">

    <destinationPolicy>
      <policyMap><policyEntries>
          <policyEntry topic="FOO.>">
            <dispatchPolicy>
              <strictOrderDispatchPolicy />
            </dispatchPolicy>
            <subscriptionRecoveryPolicy>
              <lastImageSubscriptionRecoveryPolicy />
            </subscriptionRecoveryPolicy>
          </policyEntry>
      </policyEntries></policyMap>
    </destinationPolicy>

    <persistenceAdapter>
        <jdbcPersistenceAdapter dataDirectory="\${activemq.base}/activemq-data"/>
    </persistenceAdapter>

    <transportConnectors>
       <transportConnector name="default" uri="tcp://localhost:61616"/>
    </transportConnectors>

  </broker>

</beans>
`,
  },
  {
    id: 'lease',
    name: 'Lease locker (lab timings)',
    description: 'lease-database-locker: a 3 s lease renewed every second; failover within a lease.',
    store: 'sqlite',
    xml: labTemplate({ broker: ' dataDirectory="activemq-data"', locker: 'lease-database-locker lockAcquireSleepInterval="3000"' }),
  },
  {
    id: 'postgres',
    name: 'PostgreSQL (database-locker)',
    description: 'A real PostgreSQL server: SELECT ... FOR UPDATE on ACTIVEMQ_LOCK held by the master.',
    store: 'postgres',
    xml: labTemplate({
      placeholders: true,
      adapter: ' dataSource="#postgres-ds"',
      locker: 'database-locker lockAcquireSleepInterval="1000"',
      beans: `${PG_BEAN}\n`,
    }),
  },
  {
    id: 'pgmem',
    name: 'pg-mem (in-memory PostgreSQL)',
    description: 'The lab\'s pg-mem over the PostgreSQL wire protocol, lease locker; row locks are emulated.',
    store: 'pgmem',
    xml: labTemplate({
      adapter: ' dataSource="#postgres-ds"',
      locker: 'lease-database-locker lockAcquireSleepInterval="3000"',
      beans: `${PG_BEAN}\n`,
    }),
  },
];
