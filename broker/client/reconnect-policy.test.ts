import { describe, expect, it } from 'vitest';
import { parseFailoverUri } from './failover-uri.js';
import { ReconnectPolicy } from './reconnect-policy.js';

function policy(uri: string, random = () => 0.999): ReconnectPolicy {
  const parsed = parseFailoverUri(uri);
  return new ReconnectPolicy(parsed.brokers, parsed.options, random);
}

const three = 'failover:(stomp://a:1,stomp://b:2,stomp://c:3)';

describe('ReconnectPolicy', () => {
  it('doubles the delay from initialReconnectDelay after each failed pass, up to maxReconnectDelay', () => {
    const p = policy(`${three}?initialReconnectDelay=10&maxReconnectDelay=100`);
    expect([1, 2, 3, 4, 5, 6].map((n) => p.delayMs(n))).toEqual([10, 20, 40, 80, 100, 100]);
  });

  it('uses reconnectDelayExponent as the growth factor', () => {
    const p = policy(`${three}?initialReconnectDelay=100&reconnectDelayExponent=1.5&maxReconnectDelay=1000`);
    expect([1, 2, 3].map((n) => p.delayMs(n))).toEqual([100, 150, 225]);
  });

  it('keeps initialReconnectDelay when useExponentialBackOff is false', () => {
    const p = policy(`${three}?initialReconnectDelay=50&useExponentialBackOff=false`);
    expect([1, 5, 20].map((n) => p.delayMs(n))).toEqual([50, 50, 50]);
  });

  it('never gives up with -1, and gives up after maxReconnectAttempts further passes once connected', () => {
    expect(policy(three).exhausted(1_000_000, true)).toBe(false);
    const p = policy(`${three}?maxReconnectAttempts=2&startupMaxReconnectAttempts=0`);
    expect(p.exhausted(2, true)).toBe(false);
    expect(p.exhausted(3, true)).toBe(true);
    expect(p.exhausted(1, false)).toBe(true);
    expect(p.exhausted(0, true)).toBe(false);
  });

  it('treats maxReconnectAttempts=0 as "do not reconnect once connected"', () => {
    expect(policy(`${three}?maxReconnectAttempts=0`).exhausted(0, true)).toBe(false);
    expect(policy(`${three}?maxReconnectAttempts=0`).exhausted(1, true)).toBe(true);
  });

  it('tries brokers in list order when randomize is false', () => {
    expect(policy(`${three}?randomize=false`).connectOrder(null).map((b) => b.uri)).toEqual(['stomp://a:1', 'stomp://b:2', 'stomp://c:3']);
  });

  it('shuffles with the injected random source when randomize is true', () => {
    let n = 0;
    const sequence = [0, 0];
    const order = policy(three, () => sequence[n++] ?? 0).connectOrder(null).map((b) => b.uri);
    expect(order).toEqual(['stomp://b:2', 'stomp://c:3', 'stomp://a:1']);
  });

  it('puts the broker that just failed last, so a dead first broker is not retried first (AMQ-6248)', () => {
    const p = policy(`${three}?randomize=false`);
    expect(p.connectOrder('stomp://a:1').map((b) => b.uri)).toEqual(['stomp://b:2', 'stomp://c:3', 'stomp://a:1']);
  });

  it('with priorityBackup tries the priority brokers first, the first of the list by default', () => {
    expect(policy(`${three}?randomize=false&priorityBackup=true`).connectOrder('stomp://a:1')[0]!.uri).toBe('stomp://a:1');
    const p = policy(`${three}?randomize=false&priorityBackup=true&priorityURIs=stomp://c:3`);
    expect(p.connectOrder(null).map((b) => b.uri)).toEqual(['stomp://c:3', 'stomp://a:1', 'stomp://b:2']);
    expect(p.isPriority('stomp://a:1')).toBe(false);
  });
});
