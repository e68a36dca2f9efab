import { describe, expect, it } from 'vitest';
import type { BrokerConfig } from './broker-config.js';
import { findDuplicateLeaseHolderIds } from './lease-rules.js';
import { loadConfig } from './load-config.js';

function leaseBroker(brokerName: string, leaseHolderId: string | null, file = 'shared.db', locker = 'lease-database-locker'): BrokerConfig {
  const holder = leaseHolderId === null ? '' : ` leaseHolderId="${leaseHolderId}"`;
  const xml = `<beans>
  <broker xmlns="http://activemq.apache.org/schema/core" brokerName="${brokerName}">
    <persistenceAdapter><jdbcPersistenceAdapter dataSource="#ds" lockKeepAlivePeriod="1000">
      <locker><${locker} lockAcquireSleepInterval="5000"${locker === 'lease-database-locker' ? holder : ''}/></locker>
    </jdbcPersistenceAdapter></persistenceAdapter>
    <transportConnectors><transportConnector uri="stomp://localhost:0"/></transportConnectors>
  </broker>
  <bean id="ds" class="org.sqlite.SQLiteDataSource"><property name="url" value="jdbc:sqlite:${file}"/></bean>
</beans>`;
  const { config, diagnostics } = loadConfig(xml, { cwd: '/lab' });
  if (!config) throw new Error(JSON.stringify(diagnostics));
  return config;
}

describe('findDuplicateLeaseHolderIds', () => {
  it('finds two lease brokers whose brokerName is the same holder id on one store', () => {
    const found = findDuplicateLeaseHolderIds([leaseBroker('b1', null), leaseBroker('b2', null), leaseBroker('b1', null)]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'error', code: 'duplicate-lease-holder-id', brokers: [0, 2] });
    expect(found[0]?.message).toContain('"b1"');
  });

  it('uses leaseHolderId over brokerName', () => {
    expect(findDuplicateLeaseHolderIds([leaseBroker('b1', 'same'), leaseBroker('b2', 'same')])[0]?.brokers).toEqual([0, 1]);
    expect(findDuplicateLeaseHolderIds([leaseBroker('b1', 'x'), leaseBroker('b1', 'y')])).toEqual([]);
  });

  it('ignores brokers on different stores and database-locker brokers', () => {
    expect(findDuplicateLeaseHolderIds([leaseBroker('b1', null, 'a.db'), leaseBroker('b1', null, 'b.db')])).toEqual([]);
    expect(findDuplicateLeaseHolderIds([leaseBroker('b1', null, 'a.db', 'database-locker'), leaseBroker('b1', null, 'a.db', 'database-locker')])).toEqual([]);
  });
});
