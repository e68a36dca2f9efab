import type { StompConnection } from '../connection.js';
import type { StompFrame } from '../frame.js';
import { ProtocolError } from '../../util/errors.js';
import type { Step } from './index.js';

/** ABORT [STOMP-1.2 abort]: SENDs are dropped; ACKed messages may be acknowledged again (ActiveMQ). */
export function onAbort(connection: StompConnection, frame: StompFrame): Step {
  const txId = frame.headers.get('transaction');
  if (txId === undefined) throw new ProtocolError('Must specify the transaction you are committing');
  const tx = connection.session.transactions.get(txId);
  if (tx === undefined) throw new ProtocolError(`Invalid transaction id: ${txId}`);
  connection.session.transactions.delete(txId);
  connection.session.abortTransaction(tx);
  return () => connection.sendReceipt(frame);
}
