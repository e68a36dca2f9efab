import { Client, Versions, type IFrame, type IMessage, type StompHeaders } from '@stomp/stompjs';
import { TCPWrapper } from '@stomp/tcp-wrapper';
import WebSocket from 'ws';

export type StompjsTransport = 'tcp' | 'ws';

export interface StompjsOptions {
  transport: StompjsTransport;
  port: number;
  /** Versions offered in `accept-version` (and, over ws, as `v1x.stomp` subprotocols). */
  versions?: string[];
  connectHeaders?: StompHeaders;
  heartbeatIncoming?: number;
  heartbeatOutgoing?: number;
}

/** A connected @stomp/stompjs client (written by others) and what it saw. */
export interface StompjsSession {
  client: Client;
  connected: IFrame;
  errors: IFrame[];
  /** Resolves once the socket closed (the broker or the client closed it). */
  closed: Promise<void>;
  /** Waits for a RECEIPT of `receipt-id`. */
  receipt(id: string, timeoutMs?: number): Promise<IFrame>;
  /**
   * Subscribes and collects messages; `onMessage` runs per message (ack/nack there). Resolves once
   * the SUBSCRIBE was receipted, so the subscription exists for every later publisher.
   */
  collect(destination: string, headers?: StompHeaders, onMessage?: (m: IMessage) => void): Promise<Collector>;
  close(): Promise<void>;
}

export interface Collector {
  messages: IMessage[];
  waitFor(n: number, timeoutMs?: number): Promise<IMessage[]>;
  unsubscribe(): void;
}

/**
 * Connects @stomp/stompjs over TCP (@stomp/tcp-wrapper) or ws:// (the `ws` package: Node 20 has no
 * global WebSocket). No reconnects: a test sees exactly what one connection does.
 */
export function stompjsConnect(options: StompjsOptions): Promise<StompjsSession> {
  const versions = new Versions(options.versions ?? ['1.2', '1.1', '1.0']);
  const errors: IFrame[] = [];
  let onClosed: () => void = () => {};
  const closed = new Promise<void>((r) => (onClosed = r));
  const client = new Client({
    webSocketFactory: () =>
      options.transport === 'tcp'
        ? new TCPWrapper('127.0.0.1', options.port)
        : new WebSocket(`ws://127.0.0.1:${options.port}`, versions.protocolVersions()),
    stompVersions: versions,
    connectHeaders: { host: '/', ...options.connectHeaders },
    heartbeatIncoming: options.heartbeatIncoming ?? 0,
    heartbeatOutgoing: options.heartbeatOutgoing ?? 0,
    reconnectDelay: 0,
    onStompError: (frame) => errors.push(frame),
    onWebSocketClose: () => onClosed(),
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('stompjs did not connect')), 5000);
    client.onConnect = (connected) => {
      clearTimeout(timer);
      const session: StompjsSession = {
        client,
        connected,
        errors,
        closed,
        receipt: (id, timeoutMs = 5000) =>
          new Promise((done, fail) => {
            const t = setTimeout(() => fail(new Error(`no RECEIPT ${id}`)), timeoutMs);
            client.watchForReceipt(id, (frame) => {
              clearTimeout(t);
              done(frame);
            });
          }),
        async collect(destination, headers = {}, onMessage = () => {}) {
          const messages: IMessage[] = [];
          const receiptId = `sub-${Math.random().toString(36).slice(2)}`;
          const receipted = session.receipt(receiptId);
          const subscription = client.subscribe(
            destination,
            (m) => {
              messages.push(m);
              onMessage(m);
            },
            { ...headers, receipt: receiptId },
          );
          await receipted;
          return {
            messages,
            async waitFor(n, timeoutMs = 5000) {
              const deadline = Date.now() + timeoutMs;
              while (messages.length < n) {
                if (Date.now() > deadline) throw new Error(`received ${messages.length} of ${n} on ${destination}`);
                await new Promise((r) => setTimeout(r, 10));
              }
              return messages;
            },
            unsubscribe: () => subscription.unsubscribe(),
          };
        },
        close: () => client.deactivate(),
      };
      resolve(session);
    };
    client.activate();
  });
}

/** Sends with a receipt and waits for it: the broker has the message (stored, if persistent). */
export async function publishReceipted(session: StompjsSession, destination: string, body: string, headers: StompHeaders = {}): Promise<void> {
  const id = `r-${Math.random().toString(36).slice(2)}`;
  const receipted = session.receipt(id);
  session.client.publish({ destination, body, headers: { ...headers, receipt: id } });
  await receipted;
}
