import { parseFailoverUri, StompConnection } from '../../broker/client/index.js';
import type { StompFrame } from '../../broker/stomp/frame.js';
import type { BrowsedMessage } from '../api/contract/index.js';
import { LabApiError } from '../api/lab-errors.js';

/**
 * The Store view's browse and send, done the way any client would: a STOMP connection from the lab
 * host to the current master (the repo's own client connection), never behind the broker's back.
 */

export const BODY_PREVIEW_CHARS = 2000;
const TIMEOUT_MS = 5000;
const SHOWN_ELSEWHERE = new Set(['message-id', 'persistent', 'priority', 'timestamp', 'redelivered', 'subscription', 'destination', 'ack', 'content-length']);

async function connect(port: number): Promise<StompConnection> {
  const broker = parseFailoverUri(`stomp://127.0.0.1:${port}?connectionTimeout=${TIMEOUT_MS}`).brokers[0]!;
  try {
    return await StompConnection.open(broker, { clientId: null });
  } catch (error) {
    throw new LabApiError('failed', `cannot reach the master on port ${port}: ${(error as Error).message}`, { cause: error });
  }
}

/** Collects frames until `done` says the exchange is over; ERROR, close and timeout reject. */
function exchange<T>(connection: StompConnection, what: string, done: (frame: StompFrame) => T | undefined): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => finish(new LabApiError('failed', `${what}: no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
    const finish = (error: Error | null, value?: T) => {
      clearTimeout(timer);
      connection.onFrame = () => undefined;
      connection.onClose = () => undefined;
      if (error) reject(error);
      else resolve(value as T);
    };
    connection.onFrame = (frame) => {
      if (frame.command === 'ERROR') return finish(new LabApiError('failed', `${what}: ${frame.headers.get('message') ?? frame.body.toString('utf8')}`));
      const value = done(frame);
      if (value !== undefined) finish(null, value);
    };
    connection.onClose = (reason) => finish(new LabApiError('failed', `${what}: ${reason}`));
  });
}

/** `browser:true` (ActiveMQ's QueueBrowser over STOMP): the waiting messages, not consumed. */
export async function browseQueue(port: number, queue: string, limit: number): Promise<{ messages: BrowsedMessage[]; truncated: boolean }> {
  const connection = await connect(port);
  const messages: BrowsedMessage[] = [];
  let truncated = false;
  try {
    const finished = exchange(connection, `browsing ${queue}`, (frame) => {
      if (frame.command !== 'MESSAGE') return undefined;
      if (frame.headers.get('browser') === 'end') return true;
      if (messages.length < limit) messages.push(toBrowsed(frame));
      else truncated = true;
      return undefined;
    });
    connection.write('SUBSCRIBE', [['destination', queue], ['id', 'lab-browse'], ['browser', 'true'], ['ack', 'auto']]);
    await finished;
    return { messages, truncated };
  } finally {
    connection.disconnect();
  }
}

/** A persistent SEND with a receipt: resolves once the master committed it to the store. */
export async function sendMessage(port: number, destination: string, body: string, headers: Record<string, string>, persistent: boolean): Promise<{ receipt: string }> {
  const connection = await connect(port);
  try {
    const receipt = `lab-send-${Date.now()}`;
    const answered = exchange(connection, `sending to ${destination}`, (frame) => (frame.command === 'RECEIPT' && frame.headers.get('receipt-id') === receipt ? receipt : undefined));
    const sent: Array<[string, string]> = [...Object.entries(headers), ['destination', destination], ['persistent', String(persistent)], ['receipt', receipt], ['content-type', 'text/plain']];
    connection.write('SEND', sent, Buffer.from(body, 'utf8'));
    return { receipt: await answered };
  } finally {
    connection.disconnect();
  }
}

function toBrowsed(frame: StompFrame): BrowsedMessage {
  const h = frame.headers;
  const num = (name: string) => (h.has(name) ? Number(h.get(name)) : null);
  const text = frame.body.toString('utf8');
  return {
    messageId: h.get('message-id') ?? '',
    body: text.length > BODY_PREVIEW_CHARS ? `${text.slice(0, BODY_PREVIEW_CHARS)}…` : text,
    bodyBytes: frame.body.length,
    persistent: h.get('persistent') === 'true',
    priority: num('priority'),
    timestamp: num('timestamp'),
    redelivered: h.get('redelivered') === 'true',
    headers: Object.fromEntries([...h.entries()].filter(([k]) => !SHOWN_ELSEWHERE.has(k))),
  };
}
