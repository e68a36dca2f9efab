import type { TransportConnectorConfig } from './broker-config.js';
import { readConnectorSettings } from './connector-options.js';
import type { DiagnosticSink } from './diagnostics.js';
import { reportIgnoredAttributes } from './ignored.js';
import { attribute, childElements } from './xml-tree.js';
import type { XmlElement } from './xml-tree.js';

/**
 * `transportConnectors/transportConnector name uri`. Every STOMP-capable scheme is served as STOMP
 * (tcp, nio and auto too, so configs written for ActiveMQ run unchanged); TLS is an error because a
 * TLS client could not connect; MQTT, AMQP and in-JVM transports are warnings and are not opened.
 */

export const SERVED_SCHEMES: ReadonlySet<string> = new Set(['stomp', 'stomp+nio', 'tcp', 'nio', 'auto', 'auto+nio', 'ws']);
const TLS_SCHEME = /(^|\+)(ssl|wss|https)$/;

export type ConnectorUri =
  | { kind: 'parsed'; scheme: string; host: string; port: number; options: Record<string, string> }
  | { kind: 'invalid'; reason: string };

export function parseConnectorUri(uri: string): ConnectorUri {
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(\[[^\]]*\]|[^/:?#[\]]*)(?::([^/?#]*))?(\/[^?#]*)?(?:\?([^#]*))?$/.exec(uri.trim());
  if (!match) return { kind: 'invalid', reason: 'expected scheme://host:port?options' };
  const [, scheme = '', rawHost = '', portText, , query] = match;
  if (rawHost === '' || rawHost === '[]') return { kind: 'invalid', reason: 'no host (write 0.0.0.0 for every interface)' };
  if (portText === undefined || portText === '') return { kind: 'invalid', reason: 'no port' };
  if (!/^\d+$/.test(portText) || Number(portText) > 65535) return { kind: 'invalid', reason: `port "${portText}" is not 0..65535` };
  const options: Record<string, string> = {};
  for (const pair of (query ?? '').split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = safeDecode(eq >= 0 ? pair.slice(0, eq) : pair);
    options[key] = safeDecode(eq >= 0 ? pair.slice(eq + 1) : '');
  }
  return { kind: 'parsed', scheme: scheme.toLowerCase(), host: rawHost.replace(/^\[|\]$/g, ''), port: Number(portText), options };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

const CONNECTOR_ATTRIBUTES = new Set(['name', 'uri']);

export function readTransportConnectors(broker: XmlElement, sink: DiagnosticSink): TransportConnectorConfig[] {
  const connectors: TransportConnectorConfig[] = [];
  const byPort = new Map<number, string>();
  for (const holder of childElements(broker, 'transportConnectors')) {
    for (const element of holder.children) {
      if (element.name !== 'transportConnector') {
        sink.warning('element-ignored', element, `<${element.name}> inside <transportConnectors> is not a transportConnector; ignored`);
        continue;
      }
      const connector = readConnector(element, sink);
      if (!connector) continue;
      const clash = connector.port === 0 ? undefined : byPort.get(connector.port);
      if (clash !== undefined) {
        sink.error('connector-port-in-use', element, `port ${connector.port} of "${connector.name}" is already used by connector "${clash}"`, attribute(element, 'uri'));
        continue;
      }
      byPort.set(connector.port, connector.name);
      connectors.push(connector);
    }
  }
  if (connectors.length === 0) {
    sink.warning('no-transport-connector', broker, 'no transport connector the lab serves: the master accepts no clients (add <transportConnector name="stomp" uri="stomp://0.0.0.0:61613"/>)');
  }
  return connectors;
}

function readConnector(element: XmlElement, sink: DiagnosticSink): TransportConnectorConfig | null {
  reportIgnoredAttributes(element, CONNECTOR_ATTRIBUTES, sink);
  const uriAttr = attribute(element, 'uri');
  if (!uriAttr) {
    sink.error('connector-without-uri', element, '<transportConnector> has no uri attribute');
    return null;
  }
  const uri = uriAttr.value;
  const scheme = (/^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(uri)?.[1] ?? '').toLowerCase();
  if (scheme.startsWith('mqtt') || scheme.startsWith('amqp')) {
    sink.warning('connector-protocol-not-served', element, `${scheme}:// is not served (the lab speaks STOMP only); this connector is not opened`, uriAttr);
    return null;
  }
  if (TLS_SCHEME.test(scheme)) {
    sink.error('connector-tls-unsupported', element, `${scheme}:// needs TLS, which the lab does not support: TLS clients could not connect; use stomp:// or tcp:// (a TLS proxy can sit in front)`, uriAttr);
    return null;
  }
  if (!SERVED_SCHEMES.has(scheme)) {
    sink.warning('connector-scheme-not-served', element, `${scheme === '' ? uri : `${scheme}://`} is not a transport the lab serves (it serves ${[...SERVED_SCHEMES].join(', ')}); this connector is not opened`, uriAttr);
    return null;
  }
  const parsed = parseConnectorUri(uri);
  if (parsed.kind === 'invalid') {
    sink.error('invalid-connector-uri', element, `uri="${uri}": ${parsed.reason}`, uriAttr);
    return null;
  }
  for (const problem of readConnectorSettings(parsed.options).problems) {
    if (problem.kind === 'invalid') sink.error('invalid-connector-option', element, `uri="${uri}": ${problem.message}`, uriAttr);
    else sink.warning('connector-option-ignored', element, problem.message, uriAttr);
  }
  return {
    name: attribute(element, 'name')?.value ?? uri,
    uri,
    scheme: parsed.scheme,
    host: parsed.host,
    port: parsed.port,
    options: Object.freeze(parsed.options),
  };
}
