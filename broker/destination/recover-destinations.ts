import type { PersistenceAdapter, StoredMessage } from '../store/persistence-adapter.js';
import type { Logger } from '../util/log.js';
import { fromContainer } from './destination-name.js';
import { DurableTopicSubscription } from './durable-subscription.js';
import { isDispatchMarkRow } from './dispatch-mark.js';
import type { BrokerMessage } from './message.js';
import type { DestinationRegistry } from './registry.js';
import { compileSelector } from './selector/selector.js';

/** Messages read per store round trip while recovering durable topic subscriptions. */
const RECOVER_PAGE = 1000;

export interface RecoveryContext {
  store: PersistenceAdapter;
  destinations: DestinationRegistry;
  /** Decodes a stored row; null for a row that cannot be read (logged by the decoder). */
  decode(row: StoredMessage): BrokerMessage | null;
  logger: Logger;
}

/**
 * Rebuilds destinations from the store when a broker becomes master: durable subscriptions first
 * (they decide which stored topic messages are still owed), then each queue's first page (the rest
 * is paged in as consumers take messages, so takeover stays fast) and every owed topic message.
 */
export async function recoverDestinations(ctx: RecoveryContext): Promise<void> {
  const { store, destinations } = ctx;
  destinations.clear();
  const dispatchMarks = new Map<string, number>();
  for (const stored of await store.subscriptions()) {
    if (isDispatchMarkRow(stored)) {
      dispatchMarks.set(stored.container, stored.lastAckedId);
      continue;
    }
    const name = fromContainer(stored.container);
    if (name === null || name.kind !== 'topic') continue;
    const selector = stored.selector === null ? null : compileSelector(stored.selector);
    destinations
      .topic(name)
      .addDurable(new DurableTopicSubscription(stored.container, stored.clientId, stored.subName, selector, stored.subDest, stored.lastAckedId));
  }
  let recovered = 0;
  let inMemory = 0;
  const counts = await store.counts();
  for (const container of await store.containers()) {
    const name = fromContainer(container);
    if (name === null) continue;
    const destination = destinations.get(name);
    if (destination.kind === 'queue') {
      const stored = counts.get(container) ?? 0;
      const mark = dispatchMarks.get(container);
      if (mark !== undefined) destination.restoreDispatchMark(mark);
      inMemory += await destination.recoverFirstPage(stored);
      recovered += stored;
      continue;
    }
    if (destination.kind !== 'topic') continue;
    let afterId = 0;
    for (;;) {
      const page = await store.recover(container, afterId, RECOVER_PAGE);
      for (const stored of page) {
        const message = ctx.decode(stored);
        if (message !== null) destination.recoverStored(message);
      }
      afterId = page.at(-1)?.id ?? afterId;
      recovered += page.length;
      inMemory += page.length;
      if (page.length < RECOVER_PAGE) break;
    }
  }
  ctx.logger.log('info', 'recovered persisted messages', { messages: recovered, inMemory });
}
