import { inflateSync } from 'node:zlib';
import { parseDestination, type DestinationName } from '../destination/destination-name.js';
import type { BodyKind, BrokerMessage } from '../destination/message.js';
import { typedToString, type TypedMap } from '../destination/typed-value.js';
import { DataReader, DataWriter } from './codec/data-io.js';
import { OpenWireError } from './codec/errors.js';
import type { DataStructure } from './codec/marshal.js';
import { encodeMap, readMapBody } from './codec/primitive-map.js';
import { messageIdString, producerKey, toDestinationName, toWireDestination, wireMessageId } from './ids.js';

const KIND_BY_TYPE = new Map<number, BodyKind>([
  [23, 'message'],
  [24, 'bytes'],
  [25, 'map'],
  [26, 'object'],
  [27, 'stream'],
  [28, 'text'],
]);
const TYPE_BY_KIND = new Map<BodyKind, number>([...KIND_BY_TYPE].map(([t, k]) => [k, t]));

/** STOMP headers that are JMS header fields, not properties (ActiveMQ's STOMP translator). */
const HEADER_FIELDS = new Set(['correlation-id', 'reply-to', 'type', 'JMSXGroupID', 'JMSXGroupSeq']);

export function isMessageType(type: number): boolean {
  return KIND_BY_TYPE.has(type) || type === 29;
}

/**
 * A JMS message as the broker holds it: its body made plain (text as UTF-8 so a STOMP consumer
 * reads it as is; compressed bodies inflated), its JMS headers as STOMP-named properties and its
 * typed properties both typed and as text.
 */
export function toBrokerMessage(m: DataStructure, destination: DestinationName, seq: number, now: number): BrokerMessage {
  const kind = KIND_BY_TYPE.get(m.type);
  if (kind === undefined) throw new OpenWireError('BlobMessage is not supported');
  const messageId = m.messageId as DataStructure | null;
  if (messageId === null) throw new OpenWireError('a message without a MessageId');
  const producer = messageId.producerId as DataStructure;
  let content = (m.content as Buffer | null) ?? null;
  if (content !== null && m.compressed === true) content = inflate(content, kind);
  const body = kind === 'text' ? textBody(content) : (content ?? Buffer.alloc(0));
  const marshalled = (m.marshalledProperties as Buffer | null | undefined) ?? null;
  const typed: TypedMap = marshalled === null ? new Map() : (readMapBody(new DataReader(marshalled)) ?? new Map());
  const properties: Array<[string, string]> = [];
  if (typeof m.correlationId === 'string') properties.push(['correlation-id', m.correlationId]);
  const replyTo = toDestinationName(m.replyTo as DataStructure | null);
  if (replyTo !== null) properties.push(['reply-to', replyTo.stomp]);
  if (typeof m.jmsType === 'string') properties.push(['type', m.jmsType]);
  if (typeof m.groupId === 'string') {
    properties.push(['JMSXGroupID', m.groupId]);
    properties.push(['JMSXGroupSeq', String(m.groupSequence as number)]);
  }
  for (const [key, value] of typed) properties.push([key, typedToString(value)]);
  const timestamp = m.timestamp as number;
  return {
    messageId: messageIdString(messageId),
    destination,
    persistent: m.persistent === true,
    priority: Math.min(9, Math.max(0, m.priority as number)),
    expires: m.expiration as number,
    timestamp: timestamp > 0 ? timestamp : now,
    properties,
    body,
    bytesMessage: kind !== 'text' && kind !== 'message',
    storeId: null,
    producerId: producerKey(producer),
    producerSeq: messageId.producerSequenceId as number,
    redeliveryCounter: 0,
    seq,
    jms: { bodyKind: kind, typedProperties: typed },
  };
}

function inflate(content: Buffer, kind: BodyKind): Buffer {
  try {
    // A compressed BytesMessage starts with its uncompressed length (ActiveMQBytesMessage).
    return inflateSync(kind === 'bytes' ? content.subarray(4) : content);
  } catch (err) {
    throw new OpenWireError(`a compressed message body does not inflate: ${String(err)}`);
  }
}

function textBody(content: Buffer | null): Buffer {
  if (content === null) return Buffer.alloc(0);
  return Buffer.from(new DataReader(content).bigUtf(), 'utf8');
}

/** The ActiveMQ message a consumer gets: JMS fields from the STOMP-named headers, typed properties kept. */
export function toWireMessage(message: BrokerMessage, consumerConnectionId: string): DataStructure {
  const kind: BodyKind = message.jms?.bodyKind ?? (message.bytesMessage ? 'bytes' : 'text');
  const messageId = wireMessageId(message.messageId, message.seq);
  const header = (name: string) => message.properties.find((p) => p[0] === name)?.[1] ?? null;
  let typed: TypedMap;
  if (message.jms !== undefined) typed = message.jms.typedProperties;
  else {
    typed = new Map();
    for (const [key, value] of message.properties) if (!HEADER_FIELDS.has(key) && !typed.has(key)) typed.set(key, { t: 'string', v: value });
  }
  const replyText = header('reply-to');
  const groupId = header('JMSXGroupID');
  return {
    type: TYPE_BY_KIND.get(kind) as number,
    commandId: 0,
    responseRequired: false,
    producerId: messageId.producerId,
    destination: toWireDestination(message.destination),
    transactionId: null,
    originalDestination: null,
    messageId,
    originalTransactionId: null,
    groupId,
    groupSequence: groupId === null ? 0 : Number(header('JMSXGroupSeq') ?? 0) || 0,
    correlationId: header('correlation-id'),
    persistent: message.persistent,
    expiration: message.expires,
    priority: message.priority,
    replyTo: replyText === null ? null : replyDestination(replyText, consumerConnectionId),
    timestamp: message.timestamp,
    jmsType: header('type'),
    content: wireContent(kind, message.body),
    marshalledProperties: typed.size === 0 ? null : encodeMap(typed),
    dataStructure: null,
    targetConsumerId: null,
    compressed: false,
    redeliveryCounter: message.redeliveryCounter,
    brokerPath: null,
    arrival: 0,
    userId: null,
    receivedByDfBridge: false,
    droppable: false,
    cluster: null,
    brokerInTime: 0,
    brokerOutTime: 0,
    jmsxGroupFirstForConsumer: false,
  };
}

function wireContent(kind: BodyKind, body: Buffer): Buffer | null {
  if (kind === 'message') return null;
  if (kind !== 'text') return body;
  const w = new DataWriter(body.length + 8);
  w.bigUtf(body.toString('utf8'));
  return w.toBuffer();
}

function replyDestination(text: string, connectionId: string): DataStructure | null {
  try {
    return toWireDestination(parseDestination(text, connectionId));
  } catch {
    return null;
  }
}
