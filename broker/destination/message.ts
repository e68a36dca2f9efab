import type { DestinationName } from './destination-name.js';
import type { TypedMap } from './typed-value.js';

/** The JMS body type; STOMP messages are text, or bytes when sent with content-length. */
export type BodyKind = 'message' | 'text' | 'bytes' | 'map' | 'stream' | 'object';

/**
 * What a JMS producer sent beyond STOMP's view: the body type and the typed properties. The JMS
 * headers (correlation id, type, reply-to, group) travel as `properties` like STOMP headers, and
 * `properties` also holds each typed property as text, so STOMP consumers and selectors see them.
 */
export interface JmsFields {
  bodyKind: BodyKind;
  typedProperties: TypedMap;
}

/** A message as the broker holds it (ActiveMQ's `ActiveMQMessage`, reduced to what STOMP carries). */
export interface BrokerMessage {
  /** ActiveMQ style `ID:<connection>:<session>:<producer>:<seq>`, the MESSAGE `message-id`. */
  messageId: string;
  destination: DestinationName;
  persistent: boolean;
  /** JMS priority 0-9, default 4. */
  priority: number;
  /** Epoch ms, 0 = never. */
  expires: number;
  timestamp: number;
  /** User headers (and correlation-id, reply-to, type, ...) in SEND order, passed to consumers. */
  properties: ReadonlyArray<readonly [string, string]>;
  body: Buffer;
  /** Sent with content-length (ActiveMQ makes it a BytesMessage and writes content-length back). */
  bytesMessage: boolean;
  /** `ACTIVEMQ_MSGS.ID` once stored; null for non-persistent messages. */
  storeId: number | null;
  producerId: string | null;
  producerSeq: number | null;
  /** How often it was handed back after a consumer left without acknowledging it. */
  redeliveryCounter: number;
  /** Broker-wide arrival order: redelivered messages go back in this order. */
  seq: number;
  /** Set for messages a JMS (OpenWire) producer sent. */
  jms?: JmsFields;
}

export function isExpired(message: BrokerMessage, now: number): boolean {
  return message.expires > 0 && message.expires <= now;
}
