import { destinationName, type DestinationName } from '../../destination/destination-name.js';
import { needsStore, publish, storeAndPublish } from '../../core/index.js';
import type { DataStructure } from '../codec/marshal.js';
import type { OpenWireConnection } from '../connection.js';
import { producerKey, toDestinationName } from '../ids.js';
import { INVALID_DESTINATION, JmsError } from '../jms-error.js';
import { toBrokerMessage } from '../message-map.js';
import { transactionOf } from './transaction-info.js';
import { authorize } from '../authorize.js';
import type { Step } from './index.js';

export function onProducerInfo(c: OpenWireConnection, info: DataStructure): Step {
  const id = info.producerId as DataStructure;
  // An anonymous producer (no destination) is checked on each send instead.
  const target = toDestinationName(info.destination as DataStructure | null);
  if (target !== null) authorize(c, 'write', splitComposite(target));
  c.state.producers.set(producerKey(id), { session: `${String(id.connectionId)}:${String(id.sessionId)}`, windowSize: (info.windowSize as number | undefined) ?? 0 });
  return () => c.respond(info);
}

/**
 * A message from a producer. Persistent queue messages (and topic ones with durable subscribers)
 * are stored before they are dispatched and answered; the store's producer audit (producer id +
 * sequence) turns a resend after failover into a duplicate that is answered but not stored or
 * dispatched again. Inside a transaction the message waits for the commit.
 */
export function onMessage(c: OpenWireConnection, m: DataStructure): Step {
  const target = toDestinationName(m.destination as DataStructure | null);
  if (target === null) throw new JmsError(INVALID_DESTINATION, 'a message needs a destination');
  const names = splitComposite(target);
  for (const name of names) {
    if (name.wildcard) throw new JmsError(INVALID_DESTINATION, `Cannot send to a wildcard destination: ${name.physicalName}`);
  }
  authorize(c, 'write', names);
  const core = c.core;
  const now = core.options.clock.now();
  const messages = names.map((name, i) => {
    const message = toBrokerMessage(m, name, core.nextMessageSeq(), now);
    // Each copy of a composite send keeps its own producer-audit key.
    if (i > 0 && message.producerId !== null) message.producerId = `${message.producerId}@${name.container}`;
    return message;
  });
  const answer = () => {
    c.respond(m);
    producerAck(c, m);
  };
  const tx = transactionOf(c, m.transactionId as DataStructure | null);
  if (tx !== null) {
    tx.sends.push(...messages);
    return answer;
  }
  const stored = (x: (typeof messages)[number]) => needsStore(core, x);
  if (!messages.some(stored)) {
    return () => {
      for (const message of messages) publish(core, message);
      answer();
    };
  }
  return storeAndPublish(core, messages, null, answer, stored);
}

/**
 * Producer flow control: a producer with a window (jms.producerWindowSize) counts the bytes of its
 * asynchronous sends and blocks when the window is full, until ProducerAcks give them back. The
 * size is ActiveMQ's Message.getSize: 1024 + content + properties.
 */
function producerAck(c: OpenWireConnection, m: DataStructure): void {
  if (m.responseRequired === true) return;
  const id = m.producerId as DataStructure | null;
  if (id === null || (c.state.producers.get(producerKey(id))?.windowSize ?? 0) <= 0) return;
  const size = 1024 + ((m.content as Buffer | null)?.length ?? 0) + ((m.marshalledProperties as Buffer | null)?.length ?? 0);
  c.write({ type: 19, commandId: 0, responseRequired: false, producerId: id, size });
}

function splitComposite(name: DestinationName): DestinationName[] {
  if (!name.physicalName.includes(',')) return [name];
  return name.physicalName
    .split(',')
    .filter((p) => p.trim() !== '')
    .map((p) => destinationName(name.kind, p.trim(), name.temp));
}

/**
 * DestinationInfo: a temporary queue or topic is created on add and deleted on remove (it also dies
 * with its connection); both are announced to the advisory consumers. Adding one needs `admin`
 * (the temp entry of the authorization map).
 */
export function onDestinationInfo(c: OpenWireConnection, info: DataStructure): Step {
  const name = toDestinationName(info.destination as DataStructure | null);
  if (name !== null && name.temp && info.operationType === 0) authorize(c, 'admin', [name]);
  return () => {
    // The registry announces the change to the advisory consumers.
    if (name !== null && name.temp) {
      if (info.operationType === 0) c.core.destinations.get(name);
      else c.core.destinations.deleteOne(name);
    }
    c.respond(info);
  };
}
