import type { BrokerMessage } from '../destination/message.js';
import { encodeMessage } from '../destination/message-codec.js';
import type { StoreCursor } from '../destination/store-cursor.js';
import type { StoreWork } from '../destination/subscription.js';
import type { NewMessage } from '../store/persistence-adapter.js';
import type { BrokerCore } from './broker-core.js';

/** Hands a message to its destination: a queue enqueues, a topic fans out. */
export function publish(core: BrokerCore, message: BrokerMessage): void {
  const destination = core.destinations.get(message.destination);
  if (destination.kind === 'queue') destination.enqueue(message);
  else if (destination.kind === 'topic') destination.publish(message);
}

function toNewMessage(message: BrokerMessage): NewMessage {
  return {
    container: message.destination.container,
    producerId: message.producerId,
    producerSeq: message.producerSeq,
    expiration: message.expires,
    priority: message.priority,
    msg: encodeMessage(message),
  };
}

/**
 * One store batch: `stored` are added, the acknowledgements' `work` applied; once it committed the stored messages get
 * their ids, everything except producer-audit duplicates is published, then `after` runs (RECEIPT).
 * `publishAlso` are messages that need no store (non-persistent ones of the same transaction),
 * published in their place in `all` order.
 */
export function storeAndPublish(
  core: BrokerCore,
  all: readonly BrokerMessage[],
  work: StoreWork | null,
  after: () => void,
  needsStore: (message: BrokerMessage) => boolean = () => true,
): Promise<() => void> {
  const stored = all.filter(needsStore);
  // A queue's store cursor must know which of its rows are committed but not yet published.
  const cursors = stored.map((message) => cursorOf(core, message));
  for (const cursor of cursors) cursor?.expectStored();
  return core.commit({ add: stored.map(toNewMessage), remove: work?.remove, durableAcks: work?.durableAcks }).then(
    (result) => {
      const duplicates = new Set<BrokerMessage>();
      stored.forEach((message, i) => {
        const added = result.added[i];
        if (added?.kind === 'stored') message.storeId = added.id;
        else duplicates.add(message);
        cursors[i]?.stored(added?.kind === 'stored' ? added.id : null);
      });
      return () => {
        for (const message of all) if (!duplicates.has(message)) publish(core, message);
        after();
      };
    },
    (err: unknown) => {
      for (const cursor of cursors) cursor?.stored(null);
      throw err;
    },
  );
}

function cursorOf(core: BrokerCore, message: BrokerMessage): StoreCursor | null {
  const destination = core.destinations.get(message.destination);
  return destination.kind === 'queue' ? destination.storeCursor : null;
}

/** Persistent queue messages are stored; persistent topic messages only while the topic has durable subscriptions. */
export function needsStore(core: BrokerCore, message: BrokerMessage): boolean {
  if (!message.persistent || message.destination.temp) return false;
  return message.destination.kind === 'queue' || core.destinations.topic(message.destination).hasDurables;
}
