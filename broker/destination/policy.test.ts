import { describe, expect, it } from 'vitest';
import type { PolicyEntryConfig } from '../config/destination-policy.js';
import { destinationName } from './destination-name.js';
import { deadLetterQueueFor, policyFor } from './policy.js';

function entry(destinationKind: 'queue' | 'topic', pattern: string, extra: Partial<PolicyEntryConfig> = {}): PolicyEntryConfig {
  return { destinationKind, pattern, queuePrefetch: null, topicPrefetch: null, maxPageSize: null, prioritizedMessages: false, subscriptionRecovery: { kind: 'none' }, processNonPersistent: false, individualDeadLetter: null, ...extra };
}

describe('policy precedence (ActiveMQ PolicyMap)', () => {
  const entries = [entry('queue', '>'), entry('queue', 'FOO.>'), entry('queue', 'FOO.*'), entry('queue', 'FOO.BAR'), entry('topic', '>')];

  it('chooses the matching entry that sorts last by pattern: an exact name beats FOO.>, which beats FOO.* and >', () => {
    expect(policyFor(destinationName('queue', 'FOO.BAR'), entries)?.pattern).toBe('FOO.BAR');
    expect(policyFor(destinationName('queue', 'FOO.BAZ'), entries)?.pattern).toBe('FOO.>');
    expect(policyFor(destinationName('queue', 'OTHER'), entries)?.pattern).toBe('>');
  });

  it('matches queue entries to queues and topic entries to topics only', () => {
    expect(policyFor(destinationName('topic', 'FOO.BAR'), entries)?.destinationKind).toBe('topic');
    expect(policyFor(destinationName('topic', 'X'), [entry('queue', '>')])).toBeNull();
  });

  it('names individual dead letter queues by prefix and the shared one otherwise', () => {
    const individual = entry('queue', '>', { individualDeadLetter: { queuePrefix: 'DLQ.', topicPrefix: 'DLQ.T.' } });
    expect(deadLetterQueueFor(destinationName('queue', 'orders'), individual).stomp).toBe('/queue/DLQ.orders');
    expect(deadLetterQueueFor(destinationName('queue', 'orders'), null).stomp).toBe('/queue/ActiveMQ.DLQ');
  });
});
