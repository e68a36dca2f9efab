import { DLQ } from '../../destination/destination-name.js';
import type { BrokerMessage } from '../../destination/message.js';
import { emptyStoreWork, type InflightEntry, type Subscription } from '../../destination/subscription.js';
import { needsStore } from '../../stomp/handlers/send.js';
import { storeAndPublish } from '../../stomp/publish.js';
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

/** Copies to ActiveMQ.DLQ, stored in the same batch that removes the originals. */
function toDeadLetters(c: OpenWireConnection, _sub: Subscription, entries: InflightEntry[], work: ReturnType<typeof emptyStoreWork>, settle: () => void): Step {
  const copies: BrokerMessage[] = entries.map(({ message }) => ({
    ...message,
    destination: DLQ,
    storeId: null,
    producerId: null,
    producerSeq: null,
    seq: c.core.nextMessageSeq(),
  }));
  return storeAndPublish(c.core, copies, work, settle, (m) => needsStore(c.core, m));
}
