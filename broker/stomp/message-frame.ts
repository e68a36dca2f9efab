import type { BrokerMessage } from '../destination/message.js';
import type { OutgoingFrame } from './frame.js';

/**
 * The MESSAGE frame as ActiveMQ writes it (FrameTranslator.Helper): destination, message-id,
 * expires, redelivered (only when true), priority, timestamp, persistent (only when true), the
 * user headers, then subscription, ack (1.2) and content-length for messages sent with one.
 */
export function messageFrame(
  message: BrokerMessage,
  destination: string,
  subscriptionId: string | null,
  ackId: string | null,
  redelivered: boolean,
): OutgoingFrame {
  const headers: Array<readonly [string, string]> = [
    ['destination', destination],
    ['message-id', message.messageId],
    ['expires', String(message.expires)],
  ];
  if (redelivered) headers.push(['redelivered', 'true']);
  headers.push(['priority', String(message.priority)], ['timestamp', String(message.timestamp)]);
  if (message.persistent) headers.push(['persistent', 'true']);
  for (const property of message.properties) headers.push(property);
  if (subscriptionId !== null) headers.push(['subscription', subscriptionId]);
  if (ackId !== null) headers.push(['ack', ackId]);
  if (message.bytesMessage) headers.push(['content-length', String(message.body.length)]);
  return { command: 'MESSAGE', headers, body: message.body };
}
