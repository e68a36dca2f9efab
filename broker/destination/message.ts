import type { DestinationName } from './destination-name.js';

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
}

export function isExpired(message: BrokerMessage, now: number): boolean {
  return message.expires > 0 && message.expires <= now;
}
