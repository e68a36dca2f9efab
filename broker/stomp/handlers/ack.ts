import { emptyStoreWork } from '../../destination/subscription.js';
import type { StompConnection } from '../connection.js';
import type { StompFrame } from '../frame.js';
import { findAckTarget } from './ack-target.js';
import type { Step } from './index.js';

/**
 * ACK [STOMP-1.2 ack]: `client` acknowledges cumulatively, `client-individual` one message. The
 * prefetch room is freed at once; acknowledged persistent queue messages are deleted from the store (a durable
 * subscription's LAST_ACKED_ID advances), and the RECEIPT waits for that commit. Inside a transaction the deletion waits for COMMIT.
 */
export function onAck(connection: StompConnection, frame: StompFrame): Step {
  const { subscription, entries, tx } = findAckTarget(connection, frame, 'ACK', false);
  if (tx !== undefined) {
    subscription.markTxAcked(entries, true);
    tx.acks.push({ subscription, entries });
    return () => connection.sendReceipt(frame);
  }
  connection.session.forgetAcks(entries);
  const work = emptyStoreWork();
  subscription.dispatcher.acknowledged(subscription, entries, work);
  subscription.settle(entries);
  if (work.remove.length === 0 && work.durableAcks.length === 0) return () => connection.sendReceipt(frame);
  return connection.core.commit(work).then(() => () => connection.sendReceipt(frame));
}

