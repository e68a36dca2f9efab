import { fromContainer } from './destination-name.js';
import type { BrokerMessage } from './message.js';
import type { StoredMessage } from '../store/persistence-adapter.js';

/**
 * The `ACTIVEMQ_MSGS.MSG` encoding (our own, not OpenWire): a 4-byte big-endian length, a JSON
 * head with the headers, then the raw body.
 */
interface Head {
  m: string;
  p: boolean;
  r: number;
  e: number;
  t: number;
  h: Array<[string, string]>;
  b: boolean;
  c: number;
}

export function encodeMessage(message: BrokerMessage): Uint8Array {
  const head: Head = {
    m: message.messageId,
    p: message.persistent,
    r: message.priority,
    e: message.expires,
    t: message.timestamp,
    h: message.properties as Array<[string, string]>,
    b: message.bytesMessage,
    c: message.redeliveryCounter,
  };
  const json = Buffer.from(JSON.stringify(head));
  const out = Buffer.allocUnsafe(4 + json.length + message.body.length);
  out.writeUInt32BE(json.length, 0);
  json.copy(out, 4);
  message.body.copy(out, 4 + json.length);
  return out;
}

/** Null when the row belongs to a container this broker does not map. */
export function decodeMessage(stored: StoredMessage, seq: number): BrokerMessage | null {
  const destination = fromContainer(stored.container);
  if (destination === null) return null;
  const buf = Buffer.from(stored.msg.buffer, stored.msg.byteOffset, stored.msg.byteLength);
  const headLength = buf.readUInt32BE(0);
  const head = JSON.parse(buf.toString('utf8', 4, 4 + headLength)) as Head;
  return {
    messageId: head.m,
    destination,
    persistent: head.p,
    priority: head.r,
    expires: head.e,
    timestamp: head.t,
    properties: head.h,
    body: Buffer.from(buf.subarray(4 + headLength)),
    bytesMessage: head.b,
    storeId: stored.id,
    producerId: stored.producerId,
    producerSeq: stored.producerSeq,
    redeliveryCounter: head.c,
    seq,
  };
}
