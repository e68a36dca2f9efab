import type { StompConnection } from '../connection.js';
import type { StompFrame } from '../frame.js';
import { findAckTarget } from './ack-target.js';
import type { Step } from './index.js';

/**
 * ACK [STOMP-1.2 ack]: `client` acknowledges cumulatively, `client-individual` one message. The
 * prefetch room is freed at once; acknowledged persistent queue messages are deleted from the store,
 * and the RECEIPT waits for that commit. Inside a transaction the deletion waits for COMMIT.
 */
export function onAck(connection: StompConnection, frame: StompFrame): Step {
  const { subscription, entries, tx } = findAckTarget(connection, frame, 'ACK', false);
  if (tx !== undefined) {
    subscription.markTxAcked(entries, true);
    tx.acks.push({ subscription, entries });
    return () => connection.sendReceipt(frame);
  }
  connection.session.forgetAcks(entries);
  subscription.settle(entries);
  const remove = storeIdsOf(entries);
  if (remove.length === 0) return () => connection.sendReceipt(frame);
  return connection.core.commit({ remove }).then(() => () => connection.sendReceipt(frame));
}

export function storeIdsOf(entries: ReadonlyArray<{ message: { storeId: number | null; destination: { kind: string } } }>): number[] {
  const ids: number[] = [];
  for (const { message } of entries) {
    if (message.storeId !== null && message.destination.kind === 'queue') ids.push(message.storeId);
  }
  return ids;
}
