import { deadLetterQueueFor } from '../../destination/policy.js';
import type { BrokerMessage } from '../../destination/message.js';
import { emptyStoreWork, type InflightEntry, type Subscription } from '../../destination/subscription.js';
import { storeAndPublish } from '../../core/index.js';
import type { DataStructure } from '../codec/marshal.js';
import type { OpenWireConnection } from '../connection.js';
import { consumerKey, messageIdString } from '../ids.js';
import { transactionOf } from './transaction-info.js';
import type { Step } from './index.js';

const DELIVERED = 0;
const POISON = 1;
const REDELIVERED = 3;
const INDIVIDUAL = 4;

/**
 * MessageAck. DELIVERED only widens the prefetch window; STANDARD (cumulative up to the last id)
 * and INDIVIDUAL remove the messages (from the store too); inside a transaction they wait for the
 * commit; POISON moves them to the DLQ; EXPIRED removes them. An ack for messages this connection
 * never dispatched (a replay after failover) is ignored quietly, as ActiveMQ does.
 */
export function onMessageAck(c: OpenWireConnection, ack: DataStructure): Step {
  const consumer = c.state.consumers.get(consumerKey(ack.consumerId as DataStructure));
  const sub = consumer?.subscription ?? null;
  const last = ack.lastMessageId as DataStructure | null;
  const type = ack.ackType as number;
  if (sub === null || last === null || type === REDELIVERED) return () => c.respond(ack);
  const lastId = messageIdString(last);
  const entries = type === INDIVIDUAL || (type === POISON && ack.messageCount === 1) ? sub.takeOne(lastId) : sub.takeCumulative(lastId);
  if (entries === null) return () => c.respond(ack);
  if (type === DELIVERED) {
    return () => {
      sub.markTxAcked(entries, true);
      c.respond(ack);
    };
  }
  const tx = transactionOf(c, ack.transactionId as DataStructure | null);
  if (tx !== null && type !== POISON) {
    sub.markTxAcked(entries, true);
    tx.acks.push({ subscription: sub, entries });
    return () => c.respond(ack);
  }
  const work = emptyStoreWork();
  sub.dispatcher.acknowledged(sub, entries, work);
  const settle = () => {
    sub.settle(entries);
    c.respond(ack);
  };
  if (type === POISON) return toDeadLetters(c, sub, entries, work, settle);
  if (work.remove.length === 0 && work.durableAcks.length === 0) return settle;
  return c.core.commit(work).then(() => settle);
}

/**
 * As ActiveMQ's poison ack (and our STOMP NACK): persistent messages go to the dead letter queue of
 * the destination's policy (ActiveMQ.DLQ by default) with `original-destination`, stored in the same
 * batch that removes the originals; non-persistent ones are dropped unless `processNonPersistent`.
 */
function toDeadLetters(c: OpenWireConnection, sub: Subscription, entries: InflightEntry[], work: ReturnType<typeof emptyStoreWork>, settle: () => void): Step {
  const policy = c.core.destinations.policyFor(sub.destinationName);
  const copies: BrokerMessage[] = entries
    .filter(({ message }) => message.persistent || policy?.processNonPersistent === true)
    .map(({ message }) => ({
      ...message,
      destination: deadLetterQueueFor(message.destination, policy),
      properties: [...message.properties, ['original-destination', message.destination.stomp]],
      storeId: null,
      // The producer audit already holds the original's producer id + sequence.
      producerId: null,
      producerSeq: null,
      seq: c.core.nextMessageSeq(),
    }));
  return storeAndPublish(c.core, copies, work, settle);
}
