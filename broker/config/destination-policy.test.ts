import { describe, expect, it } from 'vitest';
import { loadConfig } from './load-config.js';

function withPolicy(entries: string): ReturnType<typeof loadConfig> {
  return loadConfig(
    `<beans><broker xmlns="http://activemq.apache.org/schema/core" brokerName="b" persistent="false">
  <destinationPolicy><policyMap><policyEntries>
${entries}
  </policyEntries></policyMap></destinationPolicy>
</broker></beans>`,
    { cwd: '/srv/lab' },
  );
}

describe('destinationPolicy', () => {
  it('parses queue and topic entries with prefetch, priority, recovery and dead-letter policies', () => {
    const { config, diagnostics } = withPolicy(`
    <policyEntry queue=">" queuePrefetch="10" prioritizedMessages="true" strictOrderDispatch="true">
      <deadLetterStrategy><individualDeadLetterStrategy queuePrefix="DLQ." processNonPersistent="true"/></deadLetterStrategy>
    </policyEntry>
    <policyEntry topic="prices.>" topicPrefetch="5">
      <dispatchPolicy><strictOrderDispatchPolicy/></dispatchPolicy>
      <subscriptionRecoveryPolicy><fixedCountSubscriptionRecoveryPolicy maximumSize="3"/></subscriptionRecoveryPolicy>
    </policyEntry>
    <policyEntry topic="news"><subscriptionRecoveryPolicy><timedSubscriptionRecoveryPolicy recoverDuration="1000"/></subscriptionRecoveryPolicy></policyEntry>`);
    expect(diagnostics.filter((d) => d.severity !== 'info' && d.code !== 'memory-only' && d.code !== 'no-transport-connector')).toEqual([]);
    expect(config?.destinationPolicy).toMatchObject([
      { destinationKind: 'queue', pattern: '>', queuePrefetch: 10, prioritizedMessages: true, processNonPersistent: true, individualDeadLetter: { queuePrefix: 'DLQ.' } },
      { destinationKind: 'topic', pattern: 'prices.>', topicPrefetch: 5, subscriptionRecovery: { kind: 'fixed-count', maximumSize: 3 } },
      { destinationKind: 'topic', pattern: 'news', subscriptionRecovery: { kind: 'timed', recoverDurationMs: 1000 } },
    ]);
  });

  it('warns, with the position, about what an entry holds that the lab does not honour', () => {
    const { diagnostics } = withPolicy(`
    <policyEntry queue="q" producerFlowControl="true" memoryLimit="1mb">
      <pendingMessageLimitStrategy><constantPendingMessageLimitStrategy limit="10"/></pendingMessageLimitStrategy>
    </policyEntry>`);
    const warnings = diagnostics.filter((d) => d.code === 'policy-not-honoured');
    expect(warnings.map((d) => d.message)).toEqual([
      'producerFlowControl="true" on <policyEntry> is not honoured by the lab; ignored',
      'memoryLimit="1mb" on <policyEntry> is not honoured by the lab; ignored',
      '<constantPendingMessageLimitStrategy> in <policyEntry> is not honoured by the lab; ignored',
    ]);
    expect(warnings[0]).toMatchObject({ line: 4, path: 'beans/broker/destinationPolicy/policyMap/policyEntries/policyEntry' });
  });

  it('reads maxPageSize, the persistent messages a queue pages into memory, and refuses 0', () => {
    const { config } = withPolicy('<policyEntry queue="big.>" maxPageSize="50"/><policyEntry queue="other"/>');
    expect(config?.destinationPolicy.map((e) => e.maxPageSize)).toEqual([50, null]);
    const zero = withPolicy('<policyEntry queue="q" maxPageSize="0"/>');
    expect(zero.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual(['maxPageSize="0" must be at least 1']);
  });

  it('reports an entry without queue= or topic=', () => {
    const { config, diagnostics } = withPolicy('<policyEntry queuePrefetch="1"/>');
    expect(config?.destinationPolicy).toEqual([]);
    expect(diagnostics.some((d) => d.code === 'policy-entry-destination')).toBe(true);
  });
});
