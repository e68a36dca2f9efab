import type { BrokerMessage } from '../../destination/message.js';
import { emptyStoreWork } from '../../destination/subscription.js';
import { needsStore, publish, storeAndPublish } from '../../core/index.js';
import type { Transaction } from '../../stomp/session.js';
import type { DataStructure } from '../codec/marshal.js';
import type { OpenWireConnection } from '../connection.js';
import { T } from '../ids.js';
import { JmsError, JMS_EXCEPTION } from '../jms-error.js';
import type { Step } from './index.js';

const BEGIN = 0;
const COMMIT_ONE_PHASE = 2;
const ROLLBACK = 4;
const FORGET = 6;
const END = 7;

function txKey(id: DataStructure): string {
  if (id.type === T.xaTransactionId) throw new JmsError('javax.jms.JMSException', 'XA transactions are not supported by this broker; use local transactions');
  const connection = id.connectionId as DataStructure | null;
  return `${String(connection?.value)}:${String(id.value)}`;
}

/** The open local transaction a message or ack names; null outside one. */
export function transactionOf(c: OpenWireConnection, id: DataStructure | null): Transaction | null {
  if (id === null) return null;
  const tx = c.state.transactions.get(txKey(id));
  if (tx === undefined) throw new JmsError('javax.jms.TransactionRolledBackException', `Transaction '${txKey(id)}' has not been started.`);
  return tx;
}

/**
 * TransactionInfo, local transactions only: BEGIN, one-phase COMMIT (the sends and acks go to the
 * store in one batch, then dispatch and settle), ROLLBACK (sends dropped, acks undone; the client
 * redelivers locally, so nothing is redispatched). XA is refused with a clear JMSException.
 */
export function onTransactionInfo(c: OpenWireConnection, info: DataStructure): Step {
  const id = info.transactionId as DataStructure | null;
  if (id === null) throw new JmsError(JMS_EXCEPTION, 'TransactionInfo without a transaction id');
  const key = txKey(id);
  const type = info.txType as number;
  const transactions = c.state.transactions;
  switch (type) {
    case BEGIN:
      if (!transactions.has(key)) transactions.set(key, { sends: [], acks: [] });
      return () => c.respond(info);
    case COMMIT_ONE_PHASE:
      return commit(c, info, transactionOf(c, id) as Transaction, key);
    case ROLLBACK: {
      const tx = transactions.get(key);
      transactions.delete(key);
      if (tx !== undefined) c.state.abortTransaction(tx);
      return () => c.respond(info);
    }
    case END:
    case FORGET:
      return () => c.respond(info);
    default:
      throw new JmsError(JMS_EXCEPTION, 'XA transactions are not supported by this broker; use local transactions');
  }
}

function commit(c: OpenWireConnection, info: DataStructure, tx: Transaction, key: string): Step {
  c.state.transactions.delete(key);
  for (const ack of tx.acks) ack.entries = ack.entries.filter((e) => ack.subscription.inflight.get(e.message.messageId) === e);
  const work = emptyStoreWork();
  for (const ack of tx.acks) ack.subscription.dispatcher.acknowledged(ack.subscription, ack.entries, work);
  const settle = () => {
    for (const ack of tx.acks) ack.subscription.settle(ack.entries);
    c.respond(info);
  };
  const stored = (m: BrokerMessage) => needsStore(c.core, m);
  if (work.remove.length === 0 && work.durableAcks.length === 0 && !tx.sends.some(stored)) {
    return () => {
      for (const message of tx.sends) publish(c.core, message);
      settle();
    };
  }
  return storeAndPublish(c.core, tx.sends, work, settle, stored);
}
