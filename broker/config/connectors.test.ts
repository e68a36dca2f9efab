import { describe, expect, it } from 'vitest';
import { DEFAULT_CONNECTOR_SETTINGS, readConnectorSettings } from './connector-options.js';
import { parseConnectorUri } from './connectors.js';
import { loadConfig } from './load-config.js';

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

describe('connector URI options', () => {
  it('maps the ActiveMQ option names to settings and keeps the defaults for the rest', () => {
    const { settings, problems } = readConnectorSettings({
      maximumConnections: '1000',
      'wireFormat.maxFrameSize': '104857600',
      'wireFormat.maxHeaders': '50',
      'transport.defaultHeartBeat': '5000, 0',
      'transport.hbGracePeriodMultiplier': '1.5',
      pendingMessageLimit: '10',
    });
    expect(problems).toEqual([]);
    expect(settings).toEqual({
      wireFormat: { ...DEFAULT_CONNECTOR_SETTINGS.wireFormat, maxFrameSize: 104857600, maxHeaders: 50 },
      defaultHeartBeat: '5000,0',
      hbGracePeriodMultiplier: 1.5,
      maximumConnections: 1000,
      pendingMessageLimit: 10,
    });
  });

  it('reports options it does not honour and values it cannot use, keeping the defaults', () => {
    const { settings, problems } = readConnectorSettings({ 'transport.closeAsync': 'false', maximumConnections: 'many', 'transport.defaultHeartBeat': '5000' });
    expect(problems.map((p) => [p.kind, p.key])).toEqual([
      ['not-honoured', 'transport.closeAsync'],
      ['invalid', 'maximumConnections'],
      ['invalid', 'transport.defaultHeartBeat'],
    ]);
    expect(settings).toEqual(DEFAULT_CONNECTOR_SETTINGS);
  });

  it('gives a positioned warning for an ignored option and an error for an unusable value', () => {
    const xml = (uri: string) =>
      `<beans xmlns="http://www.springframework.org/schema/beans">\n<broker xmlns="http://activemq.apache.org/schema/core">\n<transportConnectors>\n  <transportConnector name="s" uri="${uri}"/>\n</transportConnectors>\n</broker>\n</beans>`;
    const ignored = loadConfig(xml('stomp://0.0.0.0:61613?transport.closeAsync=false&amp;maximumConnections=10'), { cwd: '/tmp' });
    expect(ignored.config?.transportConnectors).toHaveLength(1);
    const warning = ignored.diagnostics.find((d) => d.code === 'connector-option-ignored');
    expect(warning).toMatchObject({ severity: 'warning', line: 4 });
    expect(warning?.message).toMatch(/transport\.closeAsync/);
    const invalid = loadConfig(xml('stomp://0.0.0.0:61613?wireFormat.maxDataLength=-5'), { cwd: '/tmp' });
    expect(invalid.diagnostics.find((d) => d.code === 'invalid-connector-option')).toMatchObject({ severity: 'error', line: 4 });
  });
});
