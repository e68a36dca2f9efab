import type { BrokerMessage } from '../../destination/message.js';
import type { StompConnection } from '../connection.js';
import type { StompFrame } from '../frame.js';
import { needsStore, publish, storeAndPublish } from '../../core/index.js';
import { emptyStoreWork } from '../../destination/subscription.js';
import { ProtocolError } from '../../util/errors.js';
import type { Step } from './index.js';

/**
 * COMMIT [STOMP-1.2 commit]: the transaction's persistent SENDs and acknowledged persistent queue
 * messages go to the store in ONE batch; only after it committed are the SENDs dispatched, the
 * ACKs settled and the RECEIPT written.
 */
export function onCommit(connection: StompConnection, frame: StompFrame): Step {
  const txId = frame.headers.get('transaction');
  if (txId === undefined) throw new ProtocolError('Must specify the transaction you are committing');
  const tx = connection.session.transactions.get(txId);
  if (tx === undefined) throw new ProtocolError(`Invalid transaction id: ${txId}`);
  connection.session.transactions.delete(txId);
  // An entry handed back to the queue (its subscription closed) is no longer this transaction's.
  for (const ack of tx.acks) ack.entries = ack.entries.filter((e) => ack.subscription.inflight.get(e.message.messageId) === e);
  const work = emptyStoreWork();
  for (const ack of tx.acks) ack.subscription.dispatcher.acknowledged(ack.subscription, ack.entries, work);
  const settle = () => {
    for (const ack of tx.acks) {
      connection.session.forgetAcks(ack.entries);
      ack.subscription.settle(ack.entries);
    }
    connection.sendReceipt(frame);
  };
  const stored = (m: BrokerMessage) => needsStore(connection.core, m);
  if (work.remove.length === 0 && work.durableAcks.length === 0 && !tx.sends.some(stored)) {
    return () => {
      for (const message of tx.sends) publish(connection.core, message);
      settle();
    };
  }
  return storeAndPublish(connection.core, tx.sends, work, settle, stored);
}
