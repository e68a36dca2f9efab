import { describe, expect, it } from 'vitest';
import { loadConfig } from './load-config.js';

// Values the config puts into bounded columns: ACTIVEMQ_LOCK.BROKER_NAME is VARCHAR(250).
const cwd = '/srv/lab';
const xml = (brokerAttrs: string, locker = '') => `<beans xmlns="http://www.springframework.org/schema/beans">
<broker xmlns="http://activemq.apache.org/schema/core" ${brokerAttrs}>
<persistenceAdapter><jdbcPersistenceAdapter lockKeepAlivePeriod="1000">${locker}</jdbcPersistenceAdapter></persistenceAdapter>
<transportConnectors><transportConnector name="s" uri="stomp://localhost:61613"/></transportConnectors>
</broker>
</beans>`;
const tooLong = (result: ReturnType<typeof loadConfig>) => result.diagnostics.filter((d) => d.code === 'value-too-long');

describe('values bounded by their column', () => {
  it('accepts a brokerName of 250 characters', () => {
    const result = loadConfig(xml(`brokerName="${'b'.repeat(250)}"`), { cwd });
    expect(tooLong(result)).toEqual([]);
    expect(result.config?.brokerName).toHaveLength(250);
  });

  it('refuses a 5 MB brokerName at the attribute, naming ACTIVEMQ_LOCK.BROKER_NAME and its bound', () => {
    const result = loadConfig(xml(`brokerName="${'b'.repeat(5 * 1024 * 1024)}"`), { cwd });
    expect(result.config).toBeNull();
    expect(tooLong(result)).toEqual([
      expect.objectContaining({ severity: 'error', line: 2, column: 56, message: expect.stringMatching(/^brokerName is 5242880 characters long; .*ACTIVEMQ_LOCK\.BROKER_NAME.*at most 250/) }),
    ]);
  });

  it('refuses a brokerName of 251 characters', () => {
    expect(tooLong(loadConfig(xml(`brokerName="${'b'.repeat(251)}"`), { cwd }))).toHaveLength(1);
  });

  it('refuses a --name longer than the column, at the broker element', () => {
    const result = loadConfig(xml('brokerName="short"'), { cwd, brokerName: 'n'.repeat(251) });
    expect(tooLong(result)).toEqual([expect.objectContaining({ line: 2, column: 1, message: expect.stringMatching(/^the broker name given with --name is 251 characters long/) })]);
  });

  it('refuses a leaseHolderId longer than the column, at the attribute', () => {
    const locker = `<locker><lease-database-locker leaseHolderId="${'h'.repeat(251)}"/></locker>`;
    const result = loadConfig(xml('brokerName="b1"', locker), { cwd });
    expect(result.config).toBeNull();
    const [d] = tooLong(result);
    expect(d).toMatchObject({ line: 3, message: expect.stringMatching(/^leaseHolderId is 251 characters long/) });
    expect(d!.column).toBe(xml('brokerName="b1"', locker).split('\n')[2]!.indexOf('leaseHolderId') + 1);
  });

  it('accepts a leaseHolderId of 250 characters', () => {
    const locker = `<locker><lease-database-locker leaseHolderId="${'h'.repeat(250)}"/></locker>`;
    expect(tooLong(loadConfig(xml('brokerName="b1"', locker), { cwd }))).toEqual([]);
  });

  it('refuses a dead-letter queuePrefix that leaves no room for a name in ACTIVEMQ_MSGS.CONTAINER', () => {
    const policy = (prefix: string) => `<beans><broker xmlns="http://activemq.apache.org/schema/core" brokerName="b" persistent="false">
<destinationPolicy><policyMap><policyEntries><policyEntry queue=">"><deadLetterStrategy><individualDeadLetterStrategy queuePrefix="${prefix}"/></deadLetterStrategy></policyEntry></policyEntries></policyMap></destinationPolicy>
</broker></beans>`;
    // queue:// (8) + prefix + one character of name
    expect(tooLong(loadConfig(policy('p'.repeat(241)), { cwd }))).toEqual([]);
    expect(tooLong(loadConfig(policy('p'.repeat(242)), { cwd }))).toEqual([expect.objectContaining({ line: 2, message: expect.stringMatching(/^queuePrefix as a dead-letter queue .* is 251 characters long; it is stored in ACTIVEMQ_MSGS\.CONTAINER/) })]);
  });
});
