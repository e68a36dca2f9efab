import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { TimelineModel } from '../../../src-main/api/contract/index.js';
import { labClient } from './client.js';

/**
 * The Timeline view's model as the lab host computed it (`cluster/timeline`, the same timeline the
 * Checker's verdict comes from): fetched while the view is open, and again after each event.
 */
export const useTimelineStore = defineStore('timeline', () => {
  const model = ref<TimelineModel | null>(null);
  const error = ref<string | null>(null);
  let timer: ReturnType<typeof setInterval> | null = null;
  let inFlight = false;
  let again = false;

  /** One fetch at a time; a request made meanwhile is served by one more fetch after it. */
  async function refresh(): Promise<void> {
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    try {
      model.value = await labClient().call('cluster/timeline');
      error.value = null;
    } catch (e) {
      error.value = (e as Error).message;
    } finally {
      inFlight = false;
    }
    if (again) {
      again = false;
      await refresh();
    }
  }

  /** Keeps the model fresh (open segments grow with the lab host's clock) until `unwatch`. */
  function watch(periodMs = 500): void {
    if (timer) return;
    void refresh();
    timer = setInterval(() => void refresh(), periodMs);
  }

  function unwatch(): void {
    if (timer) clearInterval(timer);
    timer = null;
  }

  return { model, error, refresh, watch, unwatch };
});
