import { describe, expect, it } from 'vitest';
import { ClientError } from './client-errors.js';
import { DEFAULT_FAILOVER_OPTIONS, parseFailoverUri } from './failover-uri.js';

describe('parseFailoverUri', () => {
  it('reads a parenthesised list with ActiveMQ defaults for every option not given', () => {
    const parsed = parseFailoverUri('failover:(stomp://a:61613,ws://b:61614)');
    expect(parsed.brokers.map((b) => [b.scheme, b.host, b.port])).toEqual([
      ['stomp', 'a', 61613],
      ['ws', 'b', 61614],
    ]);
    expect(parsed.options).toEqual({
      initialReconnectDelay: 10,
      maxReconnectDelay: 30000,
      useExponentialBackOff: true,
      reconnectDelayExponent: 2.0,
      maxReconnectAttempts: -1,
      startupMaxReconnectAttempts: -1,
      randomize: true,
      timeout: -1,
      trackMessages: false,
      maxCacheSize: 131072,
      priorityBackup: false,
      priorityURIs: [],
    });
  });

  it('reads the list without parentheses and applies the trailing query to the failover transport', () => {
    const parsed = parseFailoverUri('failover:stomp://a:1,stomp://b:2?randomize=false&timeout=500');
    expect(parsed.brokers.map((b) => b.uri)).toEqual(['stomp://a:1', 'stomp://b:2']);
    expect(parsed.options.randomize).toBe(false);
    expect(parsed.options.timeout).toBe(500);
  });

  it('reads every option of its kind', () => {
    const parsed = parseFailoverUri(
      'failover:(tcp://a:1,tcp://b:2)?initialReconnectDelay=100&maxReconnectDelay=5000&useExponentialBackOff=false&reconnectDelayExponent=1.5' +
        '&maxReconnectAttempts=3&startupMaxReconnectAttempts=0&randomize=false&timeout=2000&trackMessages=true&maxCacheSize=1024' +
        '&priorityBackup=true&priorityURIs=tcp://b:2',
    );
    expect(parsed.options).toEqual({
      initialReconnectDelay: 100,
      maxReconnectDelay: 5000,
      useExponentialBackOff: false,
      reconnectDelayExponent: 1.5,
      maxReconnectAttempts: 3,
      startupMaxReconnectAttempts: 0,
      randomize: false,
      timeout: 2000,
      trackMessages: true,
      maxCacheSize: 1024,
      priorityBackup: true,
      priorityURIs: ['tcp://b:2'],
    });
  });

  it('applies nested.* options to every broker URI, and a URI’s own query wins', () => {
    const parsed = parseFailoverUri('failover:(stomp://a:1?connectionTimeout=50,stomp://b:2)?nested.connectionTimeout=2000&nested.wireFormat.maxInactivityDuration=1000');
    expect(parsed.brokers.map((b) => b.options.connectionTimeout)).toEqual([50, 2000]);
    expect(parsed.brokers.map((b) => b.options.maxInactivityDuration)).toEqual([1000, 1000]);
  });

  it('takes a plain broker URI as a list of one with default options', () => {
    const parsed = parseFailoverUri('stomp://127.0.0.1:61613');
    expect(parsed.brokers).toHaveLength(1);
    expect(parsed.options).toEqual(DEFAULT_FAILOVER_OPTIONS);
  });

  it('refuses unknown failover options and names every one of them', () => {
    expect(() => parseFailoverUri('failover:(stomp://a:1)?randomise=false&backup=true')).toThrow(/unknown failover options randomise, backup/);
  });

  it('refuses unknown nested options and names them', () => {
    expect(() => parseFailoverUri('failover:(stomp://a:1)?nested.soTimeout=5')).toThrow(/unknown broker URI option soTimeout/);
  });

  it('refuses values of the wrong kind, naming the option', () => {
    expect(() => parseFailoverUri('failover:(stomp://a:1)?randomize=yes')).toThrow(/randomize=yes: expected true or false/);
    expect(() => parseFailoverUri('failover:(stomp://a:1)?timeout=1s')).toThrow(/timeout=1s: expected an integer/);
  });

  it('refuses a maxReconnectDelay below initialReconnectDelay, naming both', () => {
    expect(() => parseFailoverUri('failover:(stomp://a:1)?initialReconnectDelay=500&maxReconnectDelay=100')).toThrow(/maxReconnectDelay \(100\) is below initialReconnectDelay \(500\)/);
  });

  it('refuses priorityURIs that are not in the list, a missing parenthesis and unsupported schemes', () => {
    expect(() => parseFailoverUri('failover:(stomp://a:1)?priorityURIs=stomp://z:9')).toThrow(/priorityURIs names stomp:\/\/z:9/);
    expect(() => parseFailoverUri('failover:(stomp://a:1')).toThrow(/missing "\)"/);
    expect(() => parseFailoverUri('failover:(amqp://a:1)')).toThrow(ClientError);
  });
});
