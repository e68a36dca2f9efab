import { authorize } from '../authorize.js';
import { parseDestination, stompNameFor } from '../../destination/destination-name.js';
import { CONVERT_STRING_EXPRESSIONS_PREFIX, compileSelector } from '../../destination/selector/selector.js';
import { Subscription, type AckMode } from '../../destination/subscription.js';
import { ProtocolError } from '../../util/errors.js';
import type { StompConnection } from '../connection.js';
import type { StompFrame } from '../frame.js';
import { claimDurable, durableNameOf, type DurableClaim } from '../../core/index.js';
import type { Queue } from '../../destination/queue.js';
import type { BrokerMessage } from '../../destination/message.js';
import { messageFrame } from '../message-frame.js';
import type { Step } from './index.js';
import { numberDefault } from '../../config/config-schema.js';

/** ActiveMQPrefetchPolicy defaults, as ProtocolConverter applies them to STOMP subscriptions. */
const DEFAULT_QUEUE_PREFETCH = numberDefault('policyEntry', 'queuePrefetch');
const DEFAULT_TOPIC_PREFETCH = numberDefault('policyEntry', 'topicPrefetch');

/**
 * SUBSCRIBE [STOMP-1.2 subscribe]: `id` required from 1.1; `ack` is `client`, `client-individual`
 * or (anything else, like ActiveMQ) `auto`; `activemq.prefetchSize` bounds unacknowledged messages.
 * `activemq.subscriptionName` (with the connection's `client-id`) makes a topic subscription durable.
 * Dispatch starts only after the RECEIPT is written, as in ActiveMQ.
 */
export function onSubscribe(connection: StompConnection, frame: StompFrame): Step {
  const h = frame.headers;
  const id = h.get('id') ?? null;
  if (connection.version !== '1.0' && id === null) throw new ProtocolError('SUBSCRIBE received without a subscription id!');
  const header = h.get('destination');
  if (header === undefined || header === '') throw new ProtocolError("Invalid empty or 'null' Destination header");
  const name = parseDestination(header, connection.connectionId);
  if (name.temp && stompNameFor(name, connection.connectionId) === name.stomp) {
    throw new ProtocolError(`Cannot subscribe to a temporary destination of another connection: ${header}`);
  }
  authorize(connection, 'read', name);
  const selectorText = h.get('selector');
  const selector = selectorText === undefined || selectorText.trim() === '' ? null : compileSelector(CONVERT_STRING_EXPRESSIONS_PREFIX + selectorText);
  const key = connection.session.keyFor(id);
  if (connection.session.subscriptions.has(key)) throw new ProtocolError(`Duplicate subscription id: ${id}`);
  const core = connection.core;
  const policy = core.destinations.policyFor(name);
  const fallback = name.kind === 'queue' ? (policy?.queuePrefetch ?? DEFAULT_QUEUE_PREFETCH) : (policy?.topicPrefetch ?? DEFAULT_TOPIC_PREFETCH);
  const prefetch = prefetchOf(h.get('activemq.prefetchSize'), fallback);
  const destination = core.destinations.get(name);
  if (h.get('browser') === 'true') {
    if (destination.kind !== 'queue') throw new ProtocolError('browser:true is only supported on queues');
    // The paged-out tail is read from the store first; the RECEIPT and the snapshot follow in order.
    return destination.browse().then((messages) => () => {
      connection.sendReceipt(frame);
      browse(connection, destination, messages, id);
    });
  }
  const subName = durableNameOf(h);
  let claim: DurableClaim | null = null;
  if (subName !== undefined) {
    if (destination.kind === 'queue') throw new ProtocolError('Invalid Subscription: cannot durably subscribe to a Queue destination!');
    if (destination.kind !== 'topic' || name.temp) throw new ProtocolError(`Durable subscriptions to ${header} are not supported (wildcard or temporary topic)`);
    claim = claimDurable(core, destination, name, connection.clientId, subName, selector);
  }
  const subscription = new Subscription(id, name, ackModeOf(h.get('ack')), prefetch, connection, destination, {
    durable: claim?.durable ?? null,
    selector,
    noLocalPrefix: h.get('activemq.noLocal') === 'true' ? `${connection.connectionId}:` : null,
    exclusive: h.get('activemq.exclusive') === 'true' && destination.kind === 'queue',
    pendingMessageLimit: connection.settings.pendingMessageLimit,
  });
  const retroactive = h.get('activemq.retroactive') === 'true' && destination.kind === 'topic' && claim === null;
  if (claim !== null) claim.durable.inUse = subscription;
  connection.session.subscriptions.set(key, subscription);
  const attach = () => {
    connection.sendReceipt(frame);
    if (subscription.closed) return;
    if (retroactive) destination.recoverInto(subscription);
    destination.addConsumer(subscription);
    if (retroactive) destination.wakeUp(subscription);
  };
  // A new durable subscription is in ACTIVEMQ_ACKS before its RECEIPT: it survives a failover from then on.
  return claim?.persisted ? claim.persisted.then(() => attach) : attach;
}

/**
 * `browser:true` (ActiveMQ QueueBrowser over STOMP): a snapshot of the queue's waiting messages,
 * not consumed, then an empty MESSAGE with `browser:end`.
 */
function browse(connection: StompConnection, queue: Queue, messages: readonly BrokerMessage[], id: string | null): void {
  for (const message of messages) {
    const destination = stompNameFor(message.destination, connection.connectionId);
    connection.write(messageFrame(message, destination, id, null, message.redeliveryCounter > 0));
  }
  const end: Array<[string, string]> = [['destination', queue.name.stomp], ['message-id', 'BrowseDone'], ['browser', 'end']];
  if (id !== null) end.push(['subscription', id]);
  connection.write({ command: 'MESSAGE', headers: end });
}

function ackModeOf(header: string | undefined): AckMode {
  return header === 'client' || header === 'client-individual' ? header : 'auto';
}

function prefetchOf(header: string | undefined, fallback: number): number {
  if (header === undefined) return fallback;
  const n = Number(header.trim());
  if (!Number.isSafeInteger(n) || n < 0) throw new ProtocolError(`Invalid activemq.prefetchSize: ${header}`);
  // A STOMP client cannot pull, so prefetch 0 (ActiveMQ's pull mode) would starve it: at least 1.
  return Math.max(1, n);
}
