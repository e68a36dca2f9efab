import { durableKey, DurableTopicSubscription } from '../destination/durable-subscription.js';
import type { DestinationName } from '../destination/destination-name.js';
import type { Selector } from '../destination/selector/selector.js';
import type { Topic } from '../destination/topic.js';
import { exceedsColumn } from '../store/column-bounds.js';
import { ProtocolError } from '../util/errors.js';
import type { BrokerCore } from './broker-core.js';

/** The SUBSCRIBE/UNSUBSCRIBE headers that name a durable subscription (ActiveMQ reads both). */
export function durableNameOf(headers: Map<string, string>): string | undefined {
  return headers.get('activemq.subscriptionName') ?? headers.get('durable-subscription-name');
}

export interface DurableClaim {
  durable: DurableTopicSubscription;
  /** The ACTIVEMQ_ACKS row written (a new or changed subscription); null when it already existed. */
  persisted: Promise<void> | null;
}

/**
 * Finds or creates the durable subscription `clientId` + `subName` on `topic`, as ActiveMQ's
 * TopicRegion does: one consumer at a time ("Durable consumer is in use"); a different topic or
 * selector replaces the old subscription and its pending messages.
 */
export function claimDurable(
  core: BrokerCore,
  topic: Topic,
  name: DestinationName,
  clientId: string,
  subName: string,
  selector: Selector | null,
): DurableClaim {
  // The subscription is an ACTIVEMQ_ACKS row keyed by these.
  const tooLong =
    exceedsColumn('ACTIVEMQ_ACKS.CLIENT_ID', 'client-id', clientId) ??
    exceedsColumn('ACTIVEMQ_ACKS.SUB_NAME', 'activemq.subscriptionName', subName) ??
    (selector ? exceedsColumn('ACTIVEMQ_ACKS.SELECTOR', 'selector (stored with the convert_string_expressions: prefix ActiveMQ adds to STOMP selectors)', selector.text) : null);
  if (tooLong) throw new ProtocolError(tooLong);
  const found = core.destinations.findDurable(durableKey(clientId, subName));
  if (found !== null && (found.durable.inUse !== null || found.durable.active !== null)) {
    throw new ProtocolError(`Durable consumer is in use for client: ${clientId} and subscriptionName: ${subName}`);
  }
  if (found !== null && found.topic === topic && found.durable.selector === (selector?.text ?? null)) return { durable: found.durable, persisted: null };
  const removal = found === null ? Promise.resolve() : dropDurable(core, found.topic, found.durable);
  const durable = new DurableTopicSubscription(name.container, clientId, subName, selector, name.container, topic.highestStoreId);
  topic.addDurable(durable);
  const stored = durable.toStored();
  return { durable, persisted: removal.then(() => core.gated(() => core.options.store.addSubscription(stored))) };
}

/** UNSUBSCRIBE with `activemq.subscriptionName`: ActiveMQ's RemoveSubscriptionInfo. */
export function removeDurable(core: BrokerCore, clientId: string, subName: string): Promise<void> {
  const found = core.destinations.findDurable(durableKey(clientId, subName));
  if (found === null) {
    throw new ProtocolError(`No durable subscription exists for clientID: ${clientId} and subscriptionName: ${subName}`);
  }
  if (found.durable.inUse !== null || found.durable.active !== null) {
    throw new ProtocolError(`Durable consumer is in use for client: ${clientId} and subscriptionName: ${subName}`);
  }
  return dropDurable(core, found.topic, found.durable);
}

function dropDurable(core: BrokerCore, topic: Topic, durable: DurableTopicSubscription): Promise<void> {
  const remove = topic.removeDurable(durable);
  return core.gated(async () => {
    await core.options.store.removeSubscription(durable.container, durable.clientId, durable.subName);
    if (remove.length > 0) await core.options.store.commit({ remove });
  });
}
