import type { LockerKind } from '../../broker/config/broker-config.js';

export interface DefaultTemplateOptions {
  locker: LockerKind;
  /** lockKeepAlivePeriod. */
  keepAliveMs: number;
  /** lockAcquireSleepInterval: for the lease locker also the lease length. */
  lockAcquireSleepIntervalMs: number;
}

export const DEFAULT_TEMPLATE_OPTIONS: DefaultTemplateOptions = { locker: 'database-locker', keepAliveMs: 1000, lockAcquireSleepIntervalMs: 1000 };

/**
 * The template the lab uses without `--config`: the seed's JDBC Master/Slave picture with one STOMP
 * connector and lab-friendly timings. The lab fills in the ports and the data source per broker.
 */
export function defaultTemplate(options: Partial<DefaultTemplateOptions> = {}): string {
  const o = { ...DEFAULT_TEMPLATE_OPTIONS, ...options };
  return `<?xml version="1.0" encoding="UTF-8"?>
<beans xmlns="http://www.springframework.org/schema/beans">
  <broker xmlns="http://activemq.apache.org/schema/core" brokerName="broker" dataDirectory="activemq-data">
    <persistenceAdapter>
      <jdbcPersistenceAdapter lockKeepAlivePeriod="${o.keepAliveMs}">
        <locker>
          <${o.locker} lockAcquireSleepInterval="${o.lockAcquireSleepIntervalMs}"/>
        </locker>
      </jdbcPersistenceAdapter>
    </persistenceAdapter>
    <transportConnectors>
      <transportConnector name="stomp" uri="stomp://127.0.0.1:61613"/>
    </transportConnectors>
  </broker>
</beans>
`;
}
