import { compileSelector, type Selector } from '../../destination/selector/selector.js';
import { Subscription } from '../../destination/subscription.js';
import { claimDurable, removeDurable, type DurableClaim } from '../../core/index.js';
import type { DataStructure } from '../codec/marshal.js';
import type { OpenWireConnection } from '../connection.js';
import { consumerKey, toDestinationName, toWireDestination } from '../ids.js';
import { INVALID_DESTINATION, JmsError, JMS_EXCEPTION } from '../jms-error.js';
import { toWireMessage } from '../message-map.js';
import type { Step } from './index.js';
import { replayTemps } from '../advisory.js';
import { authorize } from '../authorize.js';
import { destinationName } from '../../destination/destination-name.js';

const ADVISORY_PREFIX = 'ActiveMQ.Advisory.';

/**
 * ConsumerInfo: a queue or topic consumer with its prefetch, selector, noLocal, exclusive flag and
 * (with a subscription name) a durable topic subscription; a browser gets a snapshot then the
 * end-of-browse marker. The client's advisory consumer is accepted and gets nothing. Each needs
 * `read` (and `admin` for a destination that does not exist yet) when authorization is on.
 */
export function onConsumerInfo(c: OpenWireConnection, info: DataStructure): Step {
  const id = info.consumerId as DataStructure;
  const key = consumerKey(id);
  const sessionKey = `${String(id.connectionId)}:${String(id.sessionId)}`;
  const wireDestination = info.destination as DataStructure | null;
  const physical = wireDestination?.physicalName;
  if (typeof physical === 'string' && physical.startsWith(ADVISORY_PREFIX)) {
    // `read` on each advisory topic, as ActiveMQ; no `admin`: the broker itself creates them.
    const topics = physical.split(',').map((p) => destinationName('topic', p.trim(), false));
    authorize(c, 'read', topics, { create: false });
    c.state.addConsumer(key, { info, sessionKey, subscription: null, dispatched: new WeakMap() });
    return () => {
      c.respond(info);
      replayTemps(c.core, c, info);
    };
  }
  const name = toDestinationName(wireDestination);
  if (name === null) throw new JmsError(INVALID_DESTINATION, 'a consumer needs a destination');
  if (name.physicalName.includes(',')) throw new JmsError(INVALID_DESTINATION, `composite consumer destinations are not supported: ${name.physicalName}`);
  if (c.state.consumers.has(key)) throw new JmsError(JMS_EXCEPTION, `Consumer ${key} already exists`);
  authorize(c, 'read', [name]);
  const core = c.core;
  const selector = compile(typeof info.selector === 'string' ? info.selector : null);
  const destination = core.destinations.get(name);
  if (info.browser === true) {
    if (destination.kind !== 'queue') throw new JmsError(INVALID_DESTINATION, 'only a queue can be browsed');
    return destination.browse().then((messages) => () => {
      c.respond(info);
      for (const message of messages) {
        if (selector !== null && !selector.matches((n) => message.properties.find((p) => p[0] === n)?.[1] ?? null)) continue;
        c.write(dispatchOf(info, toWireMessage(message, c.state.connectionId ?? ''), message.redeliveryCounter));
      }
      c.write(dispatchOf(info, null, 0));
    });
  }
  const subName = typeof info.subscriptionName === 'string' && destination.kind === 'topic' && !name.temp ? info.subscriptionName : null;
  const create = (claim: DurableClaim | null): Promise<() => void> => {
    const subscription = new Subscription(key, name, 'client', info.prefetchSize as number, c, destination, {
      durable: claim?.durable ?? null,
      selector,
      noLocalPrefix: info.noLocal === true && c.state.connectionId !== null ? `${c.state.connectionId}:` : null,
      exclusive: info.exclusive === true && destination.kind === 'queue',
      pendingMessageLimit: c.info.settings?.pendingMessageLimit ?? -1,
    });
    if (claim !== null) claim.durable.inUse = subscription;
    c.state.addConsumer(key, { info, sessionKey, subscription, dispatched: new WeakMap() });
    const attach = () => {
      c.respond(info);
      if (!subscription.closed) destination.addConsumer(subscription);
    };
    return claim?.persisted ? claim.persisted.then(() => attach) : Promise.resolve(attach);
  };
  if (subName === null || destination.kind !== 'topic') return { deferred: () => create(null) };
  // Claimed in command order: the RemoveInfo of the subscription's previous consumer applies first.
  return { deferred: () => create(claimDurable(core, destination, name, c.state.clientId, subName, selector)) };
}

function compile(text: string | null): Selector | null {
  if (text === null || text.trim() === '') return null;
  try {
    // A JMS client's selector as written: no string conversion (STOMP subscriptions add the prefix).
    return compileSelector(text);
  } catch (err) {
    throw new JmsError('javax.jms.InvalidSelectorException', err instanceof Error ? err.message : String(err));
  }
}

function dispatchOf(info: DataStructure, message: DataStructure | null, redeliveryCounter: number): DataStructure {
  const destination = toDestinationName(info.destination as DataStructure);
  return {
    type: 21,
    commandId: 0,
    responseRequired: false,
    consumerId: info.consumerId,
    destination: destination === null ? null : toWireDestination(destination),
    message,
    redeliveryCounter: message === null ? 0 : redeliveryCounter,
  };
}

/** ConsumerControl: a failover client restores the prefetch its replayed consumers came back with (0). */
export function onConsumerControl(c: OpenWireConnection, control: DataStructure): Step {
  const id = control.consumerId as DataStructure | null;
  const sub = id === null ? null : (c.state.consumers.get(consumerKey(id))?.subscription ?? null);
  return () => {
    if (sub === null) return;
    if (control.close === true) {
      c.state.removeConsumer(consumerKey(id as DataStructure));
      return;
    }
    sub.prefetch = Math.max(0, control.prefetch as number);
    sub.dispatcher.wakeUp(sub);
  };
}

/**
 * MessagePull (prefetch 0): room for one message; when none can be dispatched, timeout -1 gets an
 * empty dispatch at once and a positive timeout after it, so `receive(t)` returns null.
 */
export function onMessagePull(c: OpenWireConnection, pull: DataStructure): Step {
  const consumer = c.state.consumers.get(consumerKey(pull.consumerId as DataStructure));
  const sub = consumer?.subscription ?? null;
  return () => {
    if (consumer === undefined || sub === null) return;
    if (sub.prefetch > 0) return;
    const before = sub.inflight.size;
    sub.prefetch = before + 1;
    sub.dispatcher.wakeUp(sub);
    sub.prefetch = 0;
    if (sub.inflight.size > before) return;
    const timeout = pull.timeout as number;
    const empty = () => c.write(dispatchOf(consumer.info, null, 0));
    if (timeout < 0) empty();
    else if (timeout > 0) setTimeout(empty, timeout).unref();
  };
}

/** RemoveSubscriptionInfo: unsubscribe a durable subscription that has no active consumer. */
export function onRemoveSubscription(c: OpenWireConnection, info: DataStructure): Step {
  const clientId = typeof info.clientId === 'string' ? info.clientId : c.state.clientId;
  const subName = info.subscriptionName;
  if (typeof subName !== 'string') throw new JmsError(JMS_EXCEPTION, 'RemoveSubscriptionInfo without a subscription name');
  return { deferred: () => removeDurable(c.core, clientId, subName).then(() => () => c.respond(info)) };
}
