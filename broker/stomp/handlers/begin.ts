import type { StompConnection } from '../connection.js';
import type { StompFrame } from '../frame.js';
import { ProtocolError } from '../../util/errors.js';
import type { Step } from './index.js';

/** BEGIN [STOMP-1.2 begin]: messages in errors are ActiveMQ's. */
export function onBegin(connection: StompConnection, frame: StompFrame): Step {
  const txId = frame.headers.get('transaction');
  if (txId === undefined) throw new ProtocolError('Must specify the transaction you are beginning');
  const transactions = connection.session.transactions;
  if (transactions.has(txId)) throw new ProtocolError(`The transaction was already started: ${txId}`);
  transactions.set(txId, { sends: [], acks: [] });
  return () => connection.sendReceipt(frame);
}
