import type { IncomingMessage } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebSocket } from 'ws';
import { loadWs } from '../../util/cjs.js';
import type { TransportConnectorConfig } from '../../config/broker-config.js';
import type { StreamHandler, TransportServer } from './tcp-transport.js';
import { bindHost } from './tcp-transport.js';

/** STOMP over WebSocket subprotocols, in the order we prefer them. */
const STOMP_SUBPROTOCOLS = ['v12.stomp', 'v11.stomp', 'v10.stomp', 'stomp'];

/** `ws://host:port`: STOMP over WebSocket, sharing the whole core with TCP. */
export function listenWebSocket(connector: TransportConnectorConfig, onStream: StreamHandler): Promise<TransportServer> {
  const http = createServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain' }).end('STOMP over WebSocket only\n');
  });
  const sockets = new Set<WebSocket>();
  const { WebSocketServer, createWebSocketStream } = loadWs();
  const wss = new WebSocketServer({
    server: http,
    handleProtocols: (offered) => STOMP_SUBPROTOCOLS.find((p) => offered.has(p)) ?? false,
  });
  wss.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    const stream = createWebSocketStream(socket);
    stream.on('error', () => stream.destroy());
    onStream(stream, {
      remoteAddress: `${request.socket.remoteAddress ?? '?'}:${request.socket.remotePort ?? '?'}`,
      connector: connector.name,
    });
  });
  const host = bindHost(connector.host);
  return new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen({ host, port: connector.port, exclusive: true }, () => {
      http.off('error', reject);
      let closed = false;
      resolve({
        connector,
        host,
        port: (http.address() as AddressInfo).port,
        closeNow() {
          if (closed) return;
          closed = true;
          for (const socket of sockets) socket.terminate();
          wss.close();
          http.close();
          http.closeAllConnections();
        },
      });
    });
  });
}
