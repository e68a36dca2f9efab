import { parseDestination } from '../../destination/destination-name.js';
import { ProtocolError } from '../../util/errors.js';
import type { StompConnection } from '../connection.js';
import type { StompFrame } from '../frame.js';
import { durableNameOf, removeDurable } from '../../core/index.js';
import type { Step } from './index.js';

/**
 * UNSUBSCRIBE [STOMP-1.2 unsubscribe]: by `id` (required from 1.1), or in 1.0 by `destination` (the
 * first subscription on it, like ActiveMQ). Unacknowledged queue messages go to other consumers; a
 * durable subscription stays (inactive) unless `activemq.subscriptionName` is given.
 */
export function onUnsubscribe(connection: StompConnection, frame: StompFrame): Step {
  const id = frame.headers.get('id');
  const destinationHeader = frame.headers.get('destination');
  if (connection.version !== '1.0' && id === undefined) throw new ProtocolError('UNSUBSCRIBE received without a subscription id!');
  if (id === undefined && destinationHeader === undefined) {
    throw new ProtocolError('Must specify the subscriptionId or the destination you are unsubscribing from');
  }
  const subName = durableNameOf(frame.headers);
  // ActiveMQ: with the durable name this removes the subscription itself, and only if it is inactive.
  if (subName !== undefined) return removeDurable(connection.core, connection.clientId, subName).then(() => () => connection.sendReceipt(frame));
  const session = connection.session;
  let key: string | undefined;
  if (id !== undefined) {
    key = session.subscriptions.has(id) ? id : undefined;
  } else {
    const container = parseDestination(destinationHeader as string, connection.connectionId).container;
    for (const [k, sub] of session.subscriptions) {
      if (sub.destinationName.container === container) {
        key = k;
        break;
      }
    }
  }
  if (key === undefined) throw new ProtocolError('No subscription matched.');
  session.removeSubscription(key);
  return () => connection.sendReceipt(frame);
}
