import type { DestinationName } from '../../destination/destination-name.js';
import { deadLetterQueueFor } from '../../destination/policy.js';
import type { BrokerMessage } from '../../destination/message.js';
import { emptyStoreWork } from '../../destination/subscription.js';
import { ProtocolError } from '../../util/errors.js';
import type { StompConnection } from '../connection.js';
import type { StompFrame } from '../frame.js';
import { storeAndPublish } from '../../core/index.js';
import { findAckTarget } from './ack-target.js';
import type { Step } from './index.js';

/**
 * NACK [STOMP-1.2 nack], as ActiveMQ does it: a poison ack of that one message (in every ack mode),
 * which sends a persistent message to `ActiveMQ.DLQ` at once (no redelivery) with
 * `original-destination`; a non-persistent one is dropped (processNonPersistent=false). The
 * `transaction` header is checked but the NACK applies at once.
 */
export function onNack(connection: StompConnection, frame: StompFrame): Step {
  if (connection.version === '1.0') throw new ProtocolError('NACK received but connection is in v1.0 mode.');
  const { subscription, entries } = findAckTarget(connection, frame, 'NACK', true);
  connection.session.forgetAcks(entries);
  const work = emptyStoreWork();
  subscription.dispatcher.acknowledged(subscription, entries, work);
  subscription.settle(entries);
  const policy = connection.core.destinations.policyFor(subscription.destinationName);
  const dead = entries
    .filter((e) => e.message.persistent || policy?.processNonPersistent === true)
    .map((e) => toDeadLetter(connection, e.message, deadLetterQueueFor(e.message.destination, policy)));
  if (dead.length === 0 && work.remove.length === 0 && work.durableAcks.length === 0) return () => connection.sendReceipt(frame);
  return storeAndPublish(connection.core, dead, work, () => connection.sendReceipt(frame));
}

function toDeadLetter(connection: StompConnection, message: BrokerMessage, dlq: DestinationName): BrokerMessage {
  return {
    ...message,
    destination: dlq,
    properties: [...message.properties, ['original-destination', message.destination.stomp]],
    storeId: null,
    // The audit already holds the original's producer id + sequence.
    producerId: null,
    producerSeq: null,
    seq: connection.core.nextMessageSeq(),
  };
}
