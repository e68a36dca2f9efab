import { defineStore } from 'pinia';
import { computed, ref, shallowRef, triggerRef } from 'vue';
import type { LabEvent } from '../../../src-main/api/contract/index.js';
import { labClient } from './client.js';
import { useClusterStore } from './cluster.js';

export type LogEvent = Extract<LabEvent, { type: 'log' }>;
export type FaultEvent = Extract<LabEvent, { type: 'fault' }>;

const MAX_EVENTS = 5000;

/** The lock phrases users grep for (docs/design.md, Conventions), highlighted in the Logs view. */
export const LOCK_PHRASE = /becoming master|released lease|exclusive lock|lock (acquired|lost|released)|lease|giving up being a master|waiting for the lock|obtained the lock/i;

export function isLockLine(event: LogEvent): boolean {
  return LOCK_PHRASE.test(event.msg) || typeof event.fields['lock'] === 'string' || event.fields['holder'] !== undefined;
}

/**
 * The lab's event feed: one subscription (backlog, then live), the last 5000 events, and every event
 * handed on to the cluster store so the pictures stay live.
 */
export const useEventsStore = defineStore('events', () => {
  // Thousands of plain events: a shallow ref with explicit triggers keeps Vue from proxying each one.
  const events = shallowRef<LabEvent[]>([]);
  const connected = ref(false);
  let unsubscribe: (() => void) | null = null;

  function receive(event: LabEvent) {
    const list = events.value;
    list.push(event);
    if (list.length > MAX_EVENTS) list.splice(0, list.length - MAX_EVENTS);
    triggerRef(events);
    useClusterStore().apply(event);
  }

  function start(): void {
    if (unsubscribe) return;
    const cluster = useClusterStore();
    unsubscribe = labClient().subscribe(0, receive, (up) => {
      connected.value = up;
      if (up) void cluster.refresh();
    });
  }

  function stop(): void {
    unsubscribe?.();
    unsubscribe = null;
    connected.value = false;
  }

  const logs = computed(() => events.value.filter((e): e is LogEvent => e.type === 'log'));
  const faults = computed(() => events.value.filter((e): e is FaultEvent => e.type === 'fault'));
  const lastSeq = computed(() => events.value.at(-1)?.seq ?? 0);

  return { events, connected, logs, faults, lastSeq, start, stop, receive };
});
