import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { BrowsedMessage, LabResult } from '../../../src-main/api/contract/index.js';
import { createActionErrors } from './action-errors.js';
import { labClient } from './client.js';

/** `queue://orders` (ACTIVEMQ_MSGS CONTAINER) → `/queue/orders` (STOMP); STOMP names pass as they are. */
export function stompName(destination: string): string {
  const m = /^(queue|topic):\/\/(.+)$/.exec(destination.trim());
  return m ? `/${m[1]}/${m[2]}` : destination.trim();
}

/**
 * The Store view's queue operations (a Pinia store, not the message store), done through the master
 * like any client would: browse a queue, send a message, purge; and the durable subscriptions read
 * from ACTIVEMQ_ACKS.
 */
export const useQueueOpsStore = defineStore('queue-ops', () => {
  const browsed = ref<{ destination: string; broker: string; messages: BrowsedMessage[]; truncated: boolean; at: number } | null>(null);
  const subscriptions = ref<LabResult<'store/subscriptions'>['subscriptions']>([]);
  /** What the last send / purge did, said in a sentence. */
  const notice = ref<string | null>(null);
  const { errors, busy, run } = createActionErrors();

  async function browse(destination: string, limit = 100): Promise<void> {
    await run('browse', async () => {
      const result = await labClient().call('store/browse', { destination: stompName(destination), limit });
      browsed.value = { ...result, at: Date.now() };
    });
  }

  async function send(destination: string, body: string, persistent = true): Promise<void> {
    notice.value = null;
    const result = await run('send', () => labClient().call('store/send', { destination: stompName(destination), body, persistent }));
    if (result) {
      notice.value = `${result.broker} receipted the message to ${result.destination}.`;
      if (browsed.value?.destination === result.destination) await browse(result.destination);
    }
  }

  async function purge(destination: string): Promise<void> {
    notice.value = null;
    const result = await run('purge', () => labClient().call('store/purge', { destination: stompName(destination) }));
    if (result) {
      notice.value = `${result.broker} purged ${result.purged} message${result.purged === 1 ? '' : 's'} from ${result.destination}.`;
      if (browsed.value?.destination === result.destination) await browse(result.destination);
    }
  }

  async function loadSubscriptions(): Promise<void> {
    const result = await run('subscriptions', () => labClient().call('store/subscriptions'));
    if (result) subscriptions.value = result.subscriptions;
  }

  return { browsed, subscriptions, notice, errors, busy, browse, send, purge, loadSubscriptions };
});
