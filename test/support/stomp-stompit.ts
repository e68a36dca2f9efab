import net from 'node:net';
import type { Writable } from 'node:stream';
import stompit, { type Client } from 'stompit';

export interface StompitMessage {
  body: string;
  headers: Record<string, string>;
  /** The stompit message, for client.ack / client.nack. */
  raw: Parameters<Client['ack']>[0];
}

export interface StompitCollector {
  messages: StompitMessage[];
  waitFor(n: number, timeoutMs?: number): Promise<StompitMessage[]>;
}

/** Connects stompit (a STOMP client written by others) offering `acceptVersion`; null offers none (1.0). */
export function stompitOpen(port: number, acceptVersion: string | null = '1.2', headers: Record<string, string> = {}): Promise<{ client: Client; errors: Error[] }> {
  const connect = (options: net.NetConnectOpts, onConnect: () => void) => net.connect(options, onConnect).setNoDelay(true);
  const connectHeaders: Record<string, string> = { host: '/', 'heart-beat': '0,0', ...headers };
  if (acceptVersion !== null) connectHeaders['accept-version'] = acceptVersion;
  return new Promise((resolve, reject) => {
    stompit.connect({ host: '127.0.0.1', port, connect, connectHeaders }, (error, client) => {
      if (error) return reject(error);
      const errors: Error[] = [];
      client.on('error', (e: Error) => errors.push(e));
      resolve({ client, errors });
    });
  });
}

/** stompit's Transaction (types/stompit.d.ts does not declare `begin`). */
export interface StompitTransaction {
  id: string;
  send(headers: Record<string, string>): Writable;
  commit(): void;
  abort(): void;
}

export function stompitBegin(client: Client): StompitTransaction {
  return (client as unknown as { begin(headers?: Record<string, string>): StompitTransaction }).begin();
}

/** A receipted SEND: every frame written before it has been handled by the broker (in-order effects). */
export function stompitSend(client: Client, headers: Record<string, string>, body: string): Promise<void> {
  return new Promise((resolve) => {
    const frame = client.send(headers, { onReceipt: () => resolve() });
    frame.end(body);
  });
}

/** Subscribes, collecting messages; `onMessage` decides ack/nack. Resolves once the broker has the subscription. */
export async function stompitCollect(
  client: Client,
  headers: Record<string, string>,
  onMessage: (m: StompitMessage) => void = () => {},
): Promise<StompitCollector> {
  const messages: StompitMessage[] = [];
  client.subscribe(headers, (err, message) => {
    if (err) return;
    message.readString('utf8', (readError, body) => {
      if (readError) return;
      const m = { body: body ?? '', headers: { ...(message.headers as Record<string, string>) }, raw: message };
      messages.push(m);
      onMessage(m);
    });
  });
  await stompitSend(client, { destination: '/topic/stompit.sync' }, '');
  return {
    messages,
    async waitFor(n, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < n) {
        if (Date.now() > deadline) throw new Error(`received ${messages.length} of ${n} on ${headers.destination ?? '?'}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return messages;
    },
  };
}

export function stompitClose(client: Client): Promise<void> {
  return new Promise((resolve) => {
    client.on('error', () => resolve());
    client.disconnect(() => resolve());
  });
}
