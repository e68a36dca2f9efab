import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { StoreInspection } from '../../../src-main/api/contract/index.js';
import { LabCallError } from '../api/index.js';
import { labClient } from './client.js';

/**
 * The lock store as the Store view shows it: `store/inspect` (row 1 of ACTIVEMQ_LOCK, messages per
 * destination), polled while the view is open.
 */
export const useDatabaseStore = defineStore('database', () => {
  const inspection = ref<StoreInspection | null>(null);
  const error = ref<string | null>(null);
  const noCluster = ref(false);
  const readAt = ref<number | null>(null);
  let timer: ReturnType<typeof setInterval> | null = null;

  async function inspect(): Promise<void> {
    try {
      inspection.value = await labClient().call('store/inspect');
      error.value = null;
      noCluster.value = false;
      readAt.value = Date.now();
    } catch (e) {
      if (e instanceof LabCallError && e.code === 'conflict') {
        noCluster.value = true;
        inspection.value = null;
        error.value = null;
      } else error.value = (e as Error).message;
    }
  }

  function watch(periodMs = 1000): void {
    if (timer) return;
    void inspect();
    timer = setInterval(() => void inspect(), periodMs);
  }

  function unwatch(): void {
    if (timer) clearInterval(timer);
    timer = null;
  }

  return { inspection, error, noCluster, readAt, inspect, watch, unwatch };
});
