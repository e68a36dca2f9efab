import { parseDestination, parseDestinations, stompNameFor, type DestinationName } from '../../destination/destination-name.js';
import type { BrokerMessage } from '../../destination/message.js';
import { ProtocolError } from '../../util/errors.js';
import type { StompConnection } from '../connection.js';
import type { StompFrame } from '../frame.js';
import { authorize } from '../authorize.js';
import { needsStore, publish, storeAndPublish } from '../../core/index.js';
import type { Step } from './index.js';
import { exceedsColumn } from '../../store/column-bounds.js';

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
  const core = connection.core;
  const names = parseDestinations(header, connection.connectionId);
  for (const name of names) checkSendable(connection, name, header);
  for (const name of names) authorize(connection, 'write', name);
  const first = toMessage(connection, frame, names[0] as DestinationName);
  // A composite destination gets one copy per part; each copy keeps its own producer-audit key.
  const messages = names.length === 1 ? [first] : names.map((name, i) => copyFor(first, name, i));
  // The producer audit keys stored messages by this id (ACTIVEMQ_MSGS.MSGID_PROD).
  for (const m of messages) {
    const tooLong = m.producerId === null ? null : exceedsColumn('ACTIVEMQ_MSGS.MSGID_PROD', names.length === 1 ? 'producer-id' : 'producer-id@destination of a composite send', m.producerId);
    if (tooLong) throw new ProtocolError(tooLong);
  }
  if (tx !== undefined) {
    tx.sends.push(...messages);
    return () => connection.sendReceipt(frame);
  }
  const stored = (m: BrokerMessage) => needsStore(core, m);
  if (!messages.some(stored)) {
    return () => {
      for (const message of messages) publish(core, message);
      connection.sendReceipt(frame);
    };
  }
  return storeAndPublish(core, messages, null, () => connection.sendReceipt(frame), stored);
}

function checkSendable(connection: StompConnection, name: DestinationName, header: string): void {
  if (name.wildcard) throw new ProtocolError(`Cannot send to a wildcard destination: ${header}`);
  // ActiveMQ: a temporary destination dies with the connection that created it.
  if (name.temp && stompNameFor(name, connection.connectionId) === name.stomp && !connection.core.destinations.has(name)) {
    throw new ProtocolError(`Cannot publish to a deleted Destination: ${name.container}`);
  }
}

function copyFor(message: BrokerMessage, destination: DestinationName, index: number): BrokerMessage {
  if (index === 0) return { ...message, destination };
  const producerId = message.producerId === null ? null : `${message.producerId}@${destination.container}`;
  return { ...message, destination, producerId, producerSeq: producerId === null ? null : message.producerSeq };
}

function toMessage(connection: StompConnection, frame: StompFrame, destination: DestinationName): BrokerMessage {
  const h = frame.headers;
  const properties: Array<[string, string]> = [];
  for (const entry of h) {
    if (NOT_PROPERTIES.has(entry[0])) continue;
    // `reply-to:/temp-queue/x` must name the same destination for whoever replies (ActiveMQ).
    if (entry[0] === 'reply-to' && entry[1].startsWith('/temp-')) {
      properties.push(['reply-to', parseDestination(entry[1], connection.connectionId).stomp]);
    } else properties.push(entry);
  }
  const producerId = h.get('producer-id') ?? null;
  const seqHeader = h.get('producer-seq');
  const producerSeq = seqHeader === undefined ? null : integerHeader('producer-seq', seqHeader);
  const seq = connection.core.nextMessageSeq();
  return {
    // ActiveMQ's STOMP producer is `<connection>:-1:1` (session -1, producer 1).
    messageId: `${connection.connectionId}:-1:1:${seq}`,
    destination,
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
