import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { TransportConnectorConfig } from '../../config/broker-config.js';

/**
 * A listening connector. Transports stay outside the broker core (aedes' idea): each accepted
 * socket is handed over as a plain duplex stream.
 */
export interface TransportServer {
  readonly connector: TransportConnectorConfig;
  /** The port actually bound (differs from the configured one when that was 0). */
  readonly port: number;
  readonly host: string;
  /** Stops accepting and destroys every socket it accepted, at once. Idempotent. */
  closeNow(): void;
}

export type StreamHandler = (stream: Duplex, info: { remoteAddress: string; connector: string }) => void;

/** `localhost` binds the loopback address only: security by default. */
export function bindHost(host: string): string {
  return host === 'localhost' || host === '' ? '127.0.0.1' : host;
}

export function listenTcp(connector: TransportConnectorConfig, onStream: StreamHandler): Promise<TransportServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    onStream(socket, { remoteAddress: `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`, connector: connector.name });
  });
  const host = bindHost(connector.host);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: connector.port, exclusive: true }, () => {
      server.off('error', reject);
      const address = server.address() as net.AddressInfo;
      let closed = false;
      resolve({
        connector,
        port: address.port,
        host,
        closeNow() {
          if (closed) return;
          closed = true;
          server.close();
          for (const socket of sockets) socket.destroy();
          sockets.clear();
        },
      });
    });
  });
}
