import { parseDestination } from '../../destination/destination-name.js';
import type { BrokerMessage } from '../../destination/message.js';
import { ProtocolError } from '../../util/errors.js';
import type { BrokerCore } from '../broker-core.js';
import type { StompConnection } from '../connection.js';
import type { StompFrame } from '../frame.js';
import { publish, storeAndPublish } from '../publish.js';
import type { Step } from './index.js';

/** Headers that become message fields, or are STOMP-only, and so are not passed on as user headers. */
const NOT_PROPERTIES = new Set([
  'destination',
  'expires',
  'timestamp',
  'priority',
  'persistent',
  'receipt',
  'transaction',
  'content-length',
  'message-id',
  'redelivered',
  'subscription',
  'JMSXUserID',
]);

/**
 * SEND [STOMP-1.2 send]. `persistent:true` on a queue is stored before it is dispatched and
 * receipted; `producer-id` + `producer-seq` feed the store's producer audit, and a duplicate is
 * receipted without being dispatched again. Inside a transaction it waits for COMMIT.
 */
export function onSend(connection: StompConnection, frame: StompFrame): Step {
  const header = frame.headers.get('destination');
  if (header === undefined) throw new ProtocolError('SEND received without a Destination specified!');
  const txId = frame.headers.get('transaction');
  const tx = txId === undefined ? undefined : connection.session.transactions.get(txId);
  if (txId !== undefined && tx === undefined) throw new ProtocolError(`Invalid transaction id: ${txId}`);
  const message = toMessage(connection, frame, header);
  if (tx !== undefined) {
    tx.sends.push(message);
    return () => connection.sendReceipt(frame);
  }
  if (!needsStore(connection.core, message)) {
    return () => {
      publish(connection.core, message);
      connection.sendReceipt(frame);
    };
  }
  return storeAndPublish(connection.core, [message], null, () => connection.sendReceipt(frame));
}

/** Persistent queue messages are stored; persistent topic messages only while the topic has durable subscriptions. */
export function needsStore(core: BrokerCore, message: BrokerMessage): boolean {
  if (!message.persistent) return false;
  return message.destination.kind === 'queue' || core.destinations.topic(message.destination).hasDurables;
}

function toMessage(connection: StompConnection, frame: StompFrame, destinationHeader: string): BrokerMessage {
  const h = frame.headers;
  const properties: Array<[string, string]> = [];
  for (const entry of h) if (!NOT_PROPERTIES.has(entry[0])) properties.push(entry);
  const producerId = h.get('producer-id') ?? null;
  const seqHeader = h.get('producer-seq');
  const producerSeq = seqHeader === undefined ? null : integerHeader('producer-seq', seqHeader);
  const seq = connection.core.nextMessageSeq();
  return {
    // ActiveMQ's STOMP producer is `<connection>:-1:1` (session -1, producer 1).
    messageId: `${connection.connectionId}:-1:1:${seq}`,
    destination: parseDestination(destinationHeader),
    persistent: h.get('persistent') === 'true',
    priority: h.has('priority') ? integerHeader('priority', h.get('priority') as string) : 4,
    expires: h.has('expires') ? integerHeader('expires', h.get('expires') as string) : 0,
    timestamp: h.has('timestamp') ? integerHeader('timestamp', h.get('timestamp') as string) : connection.core.options.clock.now(),
    properties,
    body: frame.body,
    bytesMessage: h.has('content-length'),
    storeId: null,
    producerId: producerId !== null && producerSeq !== null ? producerId : null,
    producerSeq: producerId !== null ? producerSeq : null,
    redeliveryCounter: 0,
    seq,
  };
}

function integerHeader(name: string, value: string): number {
  const n = Number(value.trim());
  if (value.trim() === '' || !Number.isSafeInteger(n)) throw new ProtocolError(`Invalid ${name} header: ${value}`);
  return n;
}
