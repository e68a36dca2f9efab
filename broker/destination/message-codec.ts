import { fromContainer } from './destination-name.js';
import type { BrokerMessage } from './message.js';
import type { StoredMessage } from '../store/persistence-adapter.js';
import { decodeMessage as decodeStored, encodeMessage as encodeStored } from '../store/index.js';
import { StoreError } from '../util/errors.js';
import { fromJson, toJson } from './typed-value.js';
import type { JmsFields } from './message.js';

/**
 * The header after the fixed ones that carries a JMS message's body kind and typed properties (as
 * typed JSON). Its name starts with NUL, which no STOMP header can hold; rows without it (STOMP
 * messages, rows written before it existed) read as before.
 */
const JMS_HEADER = '\u0000jms';

/**
 * Maps a broker message to the store's `MSG` encoding (broker/store/message-codec.ts): the first
 * `META.length` header pairs carry the broker's own fields in a fixed order, the user's headers
 * follow in their original order.
 */
const META = ['message-id', 'timestamp', 'expires', 'priority', 'persistent', 'bytes-message', 'redelivery-counter'] as const;

export function encodeMessage(message: BrokerMessage): Uint8Array {
  const headers: Array<[string, string]> = [
    ['message-id', message.messageId],
    ['timestamp', String(message.timestamp)],
    ['expires', String(message.expires)],
    ['priority', String(message.priority)],
    ['persistent', message.persistent ? 'true' : 'false'],
    ['bytes-message', message.bytesMessage ? 'true' : 'false'],
    ['redelivery-counter', String(message.redeliveryCounter)],
  ];
  if (message.jms !== undefined) headers.push([JMS_HEADER, encodeJms(message.jms)]);
  for (const property of message.properties) headers.push([property[0], property[1]]);
  return encodeStored({ headers, body: message.body });
}

/** Null when the row belongs to a container this broker does not map. */
export function decodeMessage(stored: StoredMessage, seq: number): BrokerMessage | null {
  const destination = fromContainer(stored.container);
  if (destination === null) return null;
  const { headers, body } = decodeStored(stored.msg);
  const meta = (index: number): string => {
    const pair = headers[index];
    if (pair === undefined || pair[0] !== META[index]) throw new StoreError(`stored message ${stored.id} lacks its ${META[index]} field`);
    return pair[1];
  };
  const jmsPair = headers[META.length];
  const jms = jmsPair !== undefined && jmsPair[0] === JMS_HEADER ? decodeJms(jmsPair[1], stored.id) : undefined;
  return {
    messageId: meta(0),
    timestamp: Number(meta(1)),
    expires: Number(meta(2)),
    priority: Number(meta(3)),
    persistent: meta(4) === 'true',
    bytesMessage: meta(5) === 'true',
    redeliveryCounter: Number(meta(6)),
    destination,
    properties: headers.slice(META.length + (jms === undefined ? 0 : 1)),
    // A view, not a copy: the row's bytes are not reused, and paging reads every message once more.
    body: Buffer.from(body.buffer, body.byteOffset, body.byteLength),
    storeId: stored.id,
    producerId: stored.producerId,
    producerSeq: stored.producerSeq,
    seq,
    ...(jms === undefined ? {} : { jms }),
  };
}

function encodeJms(jms: JmsFields): string {
  return JSON.stringify({ kind: jms.bodyKind, props: [...jms.typedProperties].map(([k, v]) => [k, toJson(v)]) });
}

function decodeJms(text: string, id: number): JmsFields {
  try {
    const parsed = JSON.parse(text) as { kind: JmsFields['bodyKind']; props: Array<[string, unknown]> };
    return { bodyKind: parsed.kind, typedProperties: new Map(parsed.props.map(([k, v]) => [k, fromJson(v)])) };
  } catch (err) {
    throw new StoreError(`stored message ${id} has a corrupt JMS field: ${String(err)}`);
  }
}
