import type { InflightEntry, Subscription } from '../../destination/subscription.js';
import { ProtocolError } from '../../util/errors.js';
import type { StompConnection } from '../connection.js';
import type { StompFrame } from '../frame.js';
import type { Transaction } from '../session.js';

export interface AckTarget {
  subscription: Subscription;
  entries: InflightEntry[];
  tx: Transaction | undefined;
}

/**
 * Finds what an ACK/NACK refers to, by version as ActiveMQ does: 1.2 by `id` (the MESSAGE `ack`
 * header); 1.1 by `subscription` + `message-id`; 1.0 by `message-id` (searched over every
 * subscription when `subscription` is absent). `cumulative` is the `client` ack mode's rule.
 */
export function findAckTarget(
  connection: StompConnection,
  frame: StompFrame,
  command: 'ACK' | 'NACK',
  individual: boolean,
): AckTarget {
  const h = frame.headers;
  const v12 = connection.version === '1.2';
  let messageId = h.get('message-id');
  const subscriptionId = h.get('subscription');
  const ackId = h.get('id');
  if (v12 && ackId === undefined) throw new ProtocolError(`${command} received without a ack id for acknowledge!`);
  if (!v12 && messageId === undefined) throw new ProtocolError(`${command} received without a message-id to acknowledge!`);
  if (connection.version === '1.1' && subscriptionId === undefined) {
    throw new ProtocolError(`${command} received without a subscription id for acknowledge!`);
  }
  const txId = h.get('transaction');
  const tx = txId === undefined ? undefined : connection.session.transactions.get(txId);
  if (txId !== undefined && tx === undefined) throw new ProtocolError(`Invalid transaction id: ${txId}`);

  const session = connection.session;
  let candidates: Subscription[];
  if (v12) {
    const pending = session.ackIds.get(ackId as string);
    candidates = pending === undefined ? [] : [pending.subscription];
    messageId = pending?.messageId;
  } else if (subscriptionId !== undefined) {
    const sub = session.subscriptions.get(subscriptionId);
    candidates = sub === undefined ? [] : [sub];
  } else {
    candidates = [...session.subscriptions.values()];
  }
  for (const subscription of candidates) {
    if (messageId === undefined) break;
    const entries =
      individual || subscription.ackMode !== 'client'
        ? subscription.takeOne(messageId)
        : subscription.takeCumulative(messageId);
    if (entries !== null) return { subscription, entries, tx };
  }
  throw new ProtocolError(`Unexpected ${command} received for message-id [${messageId ?? ackId}]`);
}
