import { describe, expect, it } from 'vitest';
import { parseConnectorUri } from './connectors.js';

describe('parseConnectorUri', () => {
  it('splits scheme, host, port and query options', () => {
    expect(parseConnectorUri('stomp+nio://0.0.0.0:61613?transport.closeAsync=false&maximumConnections=1000')).toEqual({
      kind: 'parsed', scheme: 'stomp+nio', host: '0.0.0.0', port: 61613, options: { 'transport.closeAsync': 'false', maximumConnections: '1000' },
    });
  });

  it('accepts port 0, a trailing path and an IPv6 host', () => {
    expect(parseConnectorUri('ws://localhost:0/')).toMatchObject({ kind: 'parsed', port: 0 });
    expect(parseConnectorUri('tcp://[::]:61616')).toMatchObject({ kind: 'parsed', host: '::' });
  });

  it('rejects a missing port, a port over 65535, a missing host and garbage', () => {
    expect(parseConnectorUri('tcp://localhost')).toEqual({ kind: 'invalid', reason: 'no port' });
    expect(parseConnectorUri('tcp://localhost:70000').kind).toBe('invalid');
    expect(parseConnectorUri('tcp://:61616').kind).toBe('invalid');
    expect(parseConnectorUri('61616').kind).toBe('invalid');
  });
});
