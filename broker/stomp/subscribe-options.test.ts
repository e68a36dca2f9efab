import { afterEach, describe, expect, it } from 'vitest';
import type { PolicyEntryConfig } from '../config/destination-policy.js';
import { bodies, request, TestScope, type RawClient } from './test-client.fixture.js';

const scope = new TestScope();

function policy(destinationKind: 'queue' | 'topic', pattern: string, extra: Partial<PolicyEntryConfig>): PolicyEntryConfig {
  return { destinationKind, pattern, queuePrefetch: null, topicPrefetch: null, maxPageSize: null, prioritizedMessages: false, subscriptionRecovery: { kind: 'none' }, processNonPersistent: false, individualDeadLetter: null, ...extra };
}

async function open(destinationPolicy: PolicyEntryConfig[] = []): Promise<RawClient> {
  if (!scope.broker) await scope.start({ destinationPolicy });
  return scope.open();
}

afterEach(() => scope.close());

describe('SUBSCRIBE options', () => {
  it('[ActiveMQ browser] browser:true lists waiting messages without consuming them, then browser:end', async () => {
    const p = await open();
    for (const b of ['1', '2']) await request(p, 'SEND', { destination: '/queue/b' }, b);
    const browser = await open();
    expect(await request(browser, 'SUBSCRIBE', { destination: '/queue/b', id: 'br', browser: 'true' })).toBe('RECEIPT');
    expect(await bodies(browser, 2)).toEqual(['1', '2']);
    const end = await browser.next('MESSAGE');
    expect([end.headers.get('browser'), end.headers.get('subscription')]).toEqual(['end', 'br']);
    const consumer = await open();
    expect(await request(consumer, 'SUBSCRIBE', { destination: '/queue/b', id: 'c' })).toBe('RECEIPT');
    expect(await bodies(consumer, 2)).toEqual(['1', '2']);
  });

  it('[ActiveMQ exclusive] an exclusive queue consumer gets every message while it lives', async () => {
    const a = await open();
    const ex = await open();
    expect(await request(a, 'SUBSCRIBE', { destination: '/queue/x', id: 'a' })).toBe('RECEIPT');
    expect(await request(ex, 'SUBSCRIBE', { destination: '/queue/x', id: 'e', 'activemq.exclusive': 'true' })).toBe('RECEIPT');
    const p = await open();
    for (const b of ['1', '2', '3']) await request(p, 'SEND', { destination: '/queue/x' }, b);
    expect(await bodies(ex, 3)).toEqual(['1', '2', '3']);
    expect(await a.next('MESSAGE', 150).catch(() => null)).toBeNull();
  });

  it('[ActiveMQ noLocal] a noLocal topic subscriber does not get its own connection\'s messages', async () => {
    const c = await open();
    expect(await request(c, 'SUBSCRIBE', { destination: '/topic/n', id: 's', 'activemq.noLocal': 'true' })).toBe('RECEIPT');
    await request(c, 'SEND', { destination: '/topic/n' }, 'mine');
    const other = await open();
    await request(other, 'SEND', { destination: '/topic/n' }, 'theirs');
    expect(await bodies(c, 1)).toEqual(['theirs']);
  });

  it('[ActiveMQ retroactive] with fixedCountSubscriptionRecoveryPolicy a retroactive subscriber first gets the last N messages', async () => {
    const p = await open([policy('topic', 'r.>', { subscriptionRecovery: { kind: 'fixed-count', maximumSize: 2 } })]);
    for (const b of ['1', '2', '3']) await request(p, 'SEND', { destination: '/topic/r.a' }, b);
    const retro = await open();
    expect(await request(retro, 'SUBSCRIBE', { destination: '/topic/r.a', id: 'r', 'activemq.retroactive': 'true' })).toBe('RECEIPT');
    expect(await bodies(retro, 2)).toEqual(['2', '3']);
    const plain = await open();
    expect(await request(plain, 'SUBSCRIBE', { destination: '/topic/r.a', id: 'p' })).toBe('RECEIPT');
    expect(await plain.next('MESSAGE', 150).catch(() => null)).toBeNull();
  });

  it('[ActiveMQ prioritizedMessages] a prioritized queue dispatches higher priority first', async () => {
    const p = await open([policy('queue', '>', { prioritizedMessages: true, queuePrefetch: 1 })]);
    for (const [b, priority] of [['low', '1'], ['high', '9'], ['mid', '5']]) await request(p, 'SEND', { destination: '/queue/pr', priority: priority as string }, b as string);
    const c = await open();
    expect(await request(c, 'SUBSCRIBE', { destination: '/queue/pr', id: 'c' })).toBe('RECEIPT');
    expect(await bodies(c, 3)).toEqual(['high', 'mid', 'low']);
  });

  it('[ActiveMQ individualDeadLetterStrategy] a NACKed persistent message goes to the per-queue DLQ', async () => {
    const c = await open([policy('queue', '>', { individualDeadLetter: { queuePrefix: 'DLQ.', topicPrefix: 'DLQ.' } })]);
    expect(await request(c, 'SUBSCRIBE', { destination: '/queue/work', id: 'w', ack: 'client-individual' })).toBe('RECEIPT');
    await request(c, 'SEND', { destination: '/queue/work', persistent: 'true' }, 'poison');
    const m = await c.next('MESSAGE');
    expect(await request(c, 'NACK', { id: m.headers.get('ack') as string })).toBe('RECEIPT');
    expect(await request(c, 'SUBSCRIBE', { destination: '/queue/DLQ.work', id: 'd' })).toBe('RECEIPT');
    const dead = await c.next('MESSAGE');
    expect([dead.body.toString(), dead.headers.get('original-destination')]).toEqual(['poison', '/queue/work']);
  });
});
