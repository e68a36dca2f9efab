import type { TransportConnectorConfig } from '../config/broker-config.js';
import type { MessageBroker } from '../stomp/index.js';
import type { Logger } from '../util/log.js';
import type { ConnectorStatus } from './status.js';
import type { StreamHandler } from './transport/tcp-transport.js';
import { readConnectorSettings } from '../config/connector-options.js';

export interface OpenConnector {
  readonly status: ConnectorStatus;
  closeNow(): void;
}

/**
 * Schemes served over TCP. ActiveMQ configs name OpenWire connectors `tcp://`, `nio://` and
 * `auto://`: those serve OpenWire (ActiveMQ's JMS client) and STOMP, told apart by the first bytes;
 * `stomp://` serves STOMP only (an OpenWire client gets a log line and a closed socket).
 */
const TCP_SCHEMES = new Set(['stomp', 'stomp+nio', 'tcp', 'nio', 'auto', 'auto+nio']);
const WS_SCHEMES = new Set(['ws', 'stomp+ws']);
const OPENWIRE_SCHEMES = new Set(['tcp', 'nio', 'auto', 'auto+nio']);

/** Opens every connector we can serve; if one fails to bind, closes the ones already open and throws. */
export async function openConnectors(
  configs: readonly TransportConnectorConfig[],
  core: MessageBroker,
  logger: Logger,
): Promise<OpenConnector[]> {
  const open: OpenConnector[] = [];
  try {
    for (const connector of configs) {
      // Problems were reported as config diagnostics at load time; here only the values matter.
      const { settings } = readConnectorSettings(connector.options);
      // OpenWire is served beside STOMP on ActiveMQ's OpenWire schemes, told apart by the first bytes.
      const openWire = OPENWIRE_SCHEMES.has(connector.scheme);
      const handler: StreamHandler = (stream, info) => core.handleConnection(stream, { ...info, settings, openWire });
      let server;
      if (TCP_SCHEMES.has(connector.scheme)) {
        // Loaded by a master only: a slave on SQLite never needs node:net.
        const { listenTcp } = await import('./transport/tcp-transport.js');
        server = await listenTcp(connector, handler);
      } else if (WS_SCHEMES.has(connector.scheme)) {
        // `ws` loads only for configs that serve WebSocket.
        const { listenWebSocket } = await import('./transport/ws-transport.js');
        server = await listenWebSocket(connector, handler);
      } else {
        logger.log('warn', `transport connector ${connector.name} (${connector.uri}) is not served: only STOMP over tcp and ws is`, {
          connector: connector.name,
        });
        continue;
      }
      const scheme = WS_SCHEMES.has(connector.scheme) ? 'ws' : 'stomp';
      const boundUri = `${scheme}://${server.host}:${server.port}`;
      logger.log('info', `Listening for connections at: ${boundUri}`, { connector: connector.name, uri: connector.uri, boundUri });
      open.push({
        status: { name: connector.name, uri: connector.uri, boundUri, port: server.port },
        closeNow: () => server.closeNow(),
      });
    }
    return open;
  } catch (error) {
    for (const connector of open) connector.closeNow();
    throw error;
  }
}
