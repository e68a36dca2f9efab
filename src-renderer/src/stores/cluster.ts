import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { BrokerStatus, ClusterStatus, LabEvent, LabPayload, LockView } from '../../../src-main/api/contract/index.js';
import { LabCallError } from '../api/index.js';
import { createActionErrors } from './action-errors.js';
import { labClient } from './client.js';

export type BrokerAction = 'start' | 'stop' | 'kill' | 'pause' | 'resume' | 'restart' | 'cut-link' | 'heal-link' | 'fail-db' | 'heal-db';

export interface MasterChange {
  from: string | null;
  to: string;
  at: number;
}

/**
 * The cluster as the Cluster view draws it: `cluster/status` once, then kept live by broker-state,
 * lock and cluster events. Knows who is master and when that changed; a dual-master moment is the
 * lab host's to say (`dual-master` events, the same computation as the Checker's).
 */
export const useClusterStore = defineStore('cluster', () => {
  const status = ref<ClusterStatus | null>(null);
  /** False until the first `cluster/status` answered (or said there is no cluster). */
  const loaded = ref(false);
  const lastMasterChange = ref<MasterChange | null>(null);
  /** Epoch ms (lab host clock) at which each broker's current process was first seen. */
  const startedAt = ref<Record<string, number>>({});
  /** Brokers whose store layer fails on command (SQLite's simulated database failure). */
  const dbFailing = ref<Record<string, boolean>>({});
  /** The brokers acting as master together, as the lab host last said; empty when none are. */
  const dualMasterBrokers = ref<string[]>([]);
  const { errors, busy, run } = createActionErrors();

  const brokers = computed<BrokerStatus[]>(() => status.value?.brokers ?? []);
  const masters = computed(() => brokers.value.filter((b) => b.role === 'master'));
  const master = computed(() => masters.value[0] ?? null);
  const dualMaster = computed(() => dualMasterBrokers.value.length > 1);
  const lock = computed<LockView | null>(() => status.value?.lock ?? null);

  /** The last broker seen as master, kept through the gap while nobody is. */
  let knownMaster: string | null = null;
  function noteMaster(at: number) {
    const now = master.value?.name ?? null;
    if (now && now !== knownMaster) {
      lastMasterChange.value = { from: knownMaster, to: now, at };
      knownMaster = now;
    }
  }

  /** One buffer per snapshot on its way: the events that arrived meanwhile. */
  const inFlight = new Set<LabEvent[]>();
  /**
   * Adopts a status snapshot (cluster/status, cluster/create, ...). Events travel on the WebSocket,
   * the snapshot on its own HTTP request, so they can arrive in either order: replaying the events
   * that arrived while the request was out keeps a snapshot taken before them from hiding them.
   */
  async function adopt(request: () => Promise<ClusterStatus>): Promise<ClusterStatus> {
    const arrived: LabEvent[] = [];
    inFlight.add(arrived);
    try {
      const next = await request();
      status.value = next;
      for (const event of arrived) applyToStatus(event);
      return next;
    } finally {
      inFlight.delete(arrived);
    }
  }

  async function refresh(): Promise<void> {
    try {
      const next = await adopt(() => labClient().call('cluster/status'));
      for (const b of next.brokers) if (b.pid !== null && startedAt.value[b.name] === undefined) startedAt.value[b.name] = Date.now();
      noteMaster(Date.now());
    } catch (error) {
      if (error instanceof LabCallError && error.code === 'conflict') status.value = null;
      else errors['cluster'] = (error as Error).message;
    } finally {
      loaded.value = true;
    }
  }

  /** Applies one lab event to the picture (called by the events store for every event). */
  function apply(event: LabEvent): void {
    if (event.type === 'dual-master') {
      dualMasterBrokers.value = event.brokers;
      return;
    }
    if (event.type === 'cluster') {
      if (event.state === 'destroyed') status.value = null;
      else void refresh();
      return;
    }
    if (event.type === 'broker-state' || event.type === 'lock') for (const arrived of inFlight) arrived.push(event);
    applyToStatus(event);
  }

  function applyToStatus(event: LabEvent): void {
    const current = status.value;
    if (!current) return;
    if (event.type === 'lock') {
      current.lock = event.lock;
      return;
    }
    if (event.type === 'fault' && event.fault === 'db-failure' && event.broker) {
      if (event.phase === 'injected') dbFailing.value[event.broker] = true;
      if (event.phase === 'healed') delete dbFailing.value[event.broker];
      return;
    }
    if (event.type !== 'broker-state') return;
    const broker = current.brokers.find((b) => b.name === event.broker);
    if (!broker) return void refresh();
    if (event.pid !== null && event.pid !== broker.pid) startedAt.value[broker.name] = event.ts;
    if (event.pid === null) delete startedAt.value[broker.name];
    broker.role = event.role;
    broker.pid = event.pid;
    broker.connectors = event.connectors;
    broker.lock = event.lock;
    if (event.exitCode !== undefined || event.signal !== undefined) broker.lastExit = { code: event.exitCode ?? null, signal: event.signal ?? null };
    noteMaster(event.ts);
  }

  async function create(options: LabPayload<'cluster/create'>): Promise<void> {
    await run('create', async () => {
      await adopt(() => labClient().call('cluster/create', { start: true, ...options }));
    });
  }

  async function destroy(): Promise<void> {
    await run('destroy', async () => {
      await labClient().call('cluster/destroy');
      status.value = null;
      knownMaster = null;
      lastMasterChange.value = null;
      startedAt.value = {};
      dbFailing.value = {};
      dualMasterBrokers.value = [];
    });
  }

  /** "Add broker": the next brokerN from the cluster's template; it joins as a slave. */
  async function addBroker(): Promise<void> {
    await run('add-broker', async () => {
      await labClient().call('cluster/add-broker');
      await refresh();
    });
  }

  async function setSupervise(enabled: boolean): Promise<void> {
    await run('supervise', async () => {
      await adopt(() => labClient().call('cluster/supervise', { enabled }));
    });
  }

  /** One action on one broker; its error stays on that broker's box. */
  async function act(broker: string, action: BrokerAction): Promise<void> {
    const client = labClient();
    await run(broker, async () => {
      switch (action) {
        case 'cut-link':
          return client.call('fault/cut-link', { broker });
        case 'heal-link':
          return client.call('fault/heal-link', { broker });
        case 'fail-db':
          return client.call('fault/db-failure', { broker, failing: true });
        case 'heal-db':
          return client.call('fault/db-failure', { broker, failing: false });
        case 'start':
          return client.call('broker/start', { broker });
        case 'stop':
          return client.call('broker/stop', { broker });
        case 'kill':
          return client.call('broker/kill', { broker });
        case 'pause':
          return client.call('broker/pause', { broker });
        case 'resume':
          return client.call('broker/resume', { broker });
        case 'restart':
          return client.call('broker/restart', { broker });
      }
    });
    if (action === 'cut-link' || action === 'heal-link') await refresh();
  }

  return { status, loaded, brokers, masters, master, dualMaster, dualMasterBrokers, lock, lastMasterChange, startedAt, dbFailing, errors, busy, refresh, adopt, apply, create, destroy, addBroker, setSupervise, act };
});
