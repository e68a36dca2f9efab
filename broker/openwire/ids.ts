import { destinationName, type DestinationName } from '../destination/destination-name.js';
import type { DataStructure } from './codec/marshal.js';
import { OpenWireError } from './codec/errors.js';

/** OpenWire type numbers the broker names in code. */
export const T = {
  queue: 100,
  topic: 101,
  tempQueue: 102,
  tempTopic: 103,
  messageId: 110,
  localTransactionId: 111,
  xaTransactionId: 112,
  connectionId: 120,
  sessionId: 121,
  consumerId: 122,
  producerId: 123,
  brokerId: 124,
} as const;

export interface ProducerIdFields {
  connectionId: string;
  sessionId: number;
  value: number;
}

/** ActiveMQ's ProducerId.toString: `connection:session:value`. */
export function producerKey(id: DataStructure): string {
  return `${String(id.connectionId)}:${String(id.sessionId)}:${String(id.value)}`;
}

/** ActiveMQ's ConsumerId.toString: `connection:session:value`. */
export function consumerKey(id: DataStructure): string {
  return `${String(id.connectionId)}:${String(id.sessionId)}:${String(id.value)}`;
}

export function sessionKey(id: DataStructure): string {
  return `${String(id.connectionId)}:${String(id.value)}`;
}

/** ActiveMQ's MessageId.toString: the text view when set, else `producer:sequence`. */
export function messageIdString(id: DataStructure): string {
  if (typeof id.textView === 'string') return id.textView;
  const producer = id.producerId as DataStructure | null;
  if (producer === null) throw new OpenWireError('a MessageId without a ProducerId');
  return `${producerKey(producer)}:${String(id.producerSequenceId)}`;
}

/**
 * The MessageId of a broker message id string. Every id the broker holds is
 * `connection:session:producer:sequence` (JMS producers' ids, and STOMP's `<connection>:-1:1:<n>`);
 * anything else keeps its text as the text view.
 */
export function wireMessageId(text: string, brokerSequenceId: number): DataStructure {
  const parts = text.split(':');
  const [seq, value, session] = [parts.at(-1), parts.at(-2), parts.at(-3)].map((p) => (p !== undefined && /^-?\d+$/.test(p) ? Number(p) : NaN));
  if (parts.length >= 4 && [seq, value, session].every((n) => Number.isSafeInteger(n))) {
    const producerId = { type: T.producerId, connectionId: parts.slice(0, -3).join(':'), value, sessionId: session };
    return { type: T.messageId, textView: null, producerId, producerSequenceId: seq, brokerSequenceId };
  }
  return { type: T.messageId, textView: text, producerId: { type: T.producerId, connectionId: text, value: 0, sessionId: 0 }, producerSequenceId: 0, brokerSequenceId };
}

/** An OpenWire destination as the broker names it; null for a missing one. */
export function toDestinationName(d: DataStructure | null | undefined): DestinationName | null {
  if (d === null || d === undefined) return null;
  const physical = d.physicalName;
  if (typeof physical !== 'string' || physical === '') throw new OpenWireError('a destination without a name');
  switch (d.type) {
    case T.queue:
      return destinationName('queue', physical);
    case T.topic:
      return destinationName('topic', physical);
    case T.tempQueue:
      return destinationName('queue', physical, true);
    case T.tempTopic:
      return destinationName('topic', physical, true);
    default:
      throw new OpenWireError(`data type ${d.type} is not a destination`);
  }
}

export function toWireDestination(name: DestinationName): DataStructure {
  const type = name.kind === 'queue' ? (name.temp ? T.tempQueue : T.queue) : name.temp ? T.tempTopic : T.topic;
  return { type, physicalName: name.physicalName };
}
