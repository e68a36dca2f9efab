import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { BrokerConfig, LockerKind } from '../../broker/config/broker-config.js';
import { findDuplicateLeaseHolderIds } from '../../broker/config/index.js';
import type { BrokerStatus, ClusterStatus, LockView } from '../api/contract/index.js';
import { LabApiError } from '../api/lab-errors.js';
import type { BrokerHandle } from './broker-handle.js';
import { buildBroker } from './broker-builder.js';
import type { BrokerBuildInput, BuiltBroker } from './broker-builder.js';
import type { EventLog } from './event-log.js';
import { PortAllocator } from './port-allocator.js';
import type { ProcessLauncher } from './process-launcher.js';
import { StoreWatcher, createLockStoreHost } from '../store-host/index.js';
import type { HelperRuntime, LockStoreHost } from '../store-host/index.js';
import { Supervisor } from './supervisor.js';

export type { BrokerStatus, ClusterStatus };

export interface ClusterTemplate {
  /** For messages and the generated comment: the file name, or `built-in`. */
  name: string;
  xml: string;
}

export interface ClusterOptions {
  /** Default: `c` + a base-36 timestamp. */
  id?: string;
  /** The cluster's directory is `<labDir>/<id>`. */
  labDir: string;
  /** With one template: how many brokers. With one template per broker: ignored. */
  brokers: number;
  templates: readonly ClusterTemplate[];
  /** `sqlite`, `pgmem` or a `postgres://` URL. */
  store: string;
  properties?: Readonly<Record<string, string>>;
  durability?: 'normal' | 'full' | 'off';
  supervise?: boolean;
  /** How often the lab reads the lock row. */
  pollMs?: number;
  /** How the lab runs its helper processes (the SQLite inspector). */
  helpers?: HelperRuntime;
}

export interface ClusterDeps {
  launcher: ProcessLauncher;
  events: EventLog;
  ports?: PortAllocator;
}

const FIRST_BROKER_HEAD_START_MS = 3000;
/** The Cluster view draws up to this many boxes side by side; cluster/create allows as many. */
export const MAX_BROKERS = 9;

/**
 * A cluster of broker processes sharing one lock store (docs/lab.md, Clusters): creates them from one
 * template or one XML each, with ports that never collide, and starts, stops, kills, pauses,
 * resumes and restarts them; its supervisor restarts lost masters as slaves.
 */
export class ClusterController {
  private readonly byName = new Map<string, BrokerHandle>();
  private readonly handles: BrokerHandle[] = [];
  private readonly configs: BrokerConfig[] = [];
  private readonly ports: number[] = [];
  private started = false;

  private constructor(
    readonly id: string,
    readonly dir: string,
    readonly store: LockStoreHost,
    readonly lockerKind: LockerKind,
    built: readonly BuiltBroker[],
    private readonly supervisor: Supervisor,
    readonly watcher: StoreWatcher,
    private readonly deps: ClusterDeps,
    private readonly options: ClusterOptions,
  ) {
    for (const broker of built) this.adopt(broker);
  }

  private adopt(built: BuiltBroker): void {
    this.handles.push(built.handle);
    this.configs.push(built.config);
    this.ports.push(...built.ports);
    this.byName.set(built.handle.name, built.handle);
    this.supervisor.watch(built.handle);
  }

  static async create(options: ClusterOptions, deps: ClusterDeps): Promise<ClusterController> {
    const id = options.id ?? `c${Date.now().toString(36)}`;
    const dir = resolve(options.labDir, id);
    const count = options.templates.length > 1 ? options.templates.length : options.brokers;
    if (options.templates.length === 0) throw new LabApiError('bad-request', 'a cluster needs a config template');
    if (!Number.isInteger(count) || count < 1) throw new LabApiError('bad-request', `a cluster needs at least one broker, got ${count}`);
    const ports = deps.ports ?? new PortAllocator();
    await mkdir(dir, { recursive: true });
    const store = createLockStoreHost(options.store, dir, id, options.helpers);
    const allocated: number[] = [];
    try {
      await store.start();
      const built: BuiltBroker[] = [];
      for (let i = 0; i < count; i++) {
        const broker = await buildBroker({ ...buildInput(options, dir, store, ports, deps), name: `broker${i + 1}`, template: options.templates[i] ?? options.templates[0]! });
        allocated.push(...broker.ports);
        built.push(broker);
      }
      const configs = built.map((b) => b.config);
      const duplicates = findDuplicateLeaseHolderIds(configs);
      if (duplicates.length > 0) throw new LabApiError('bad-request', duplicates.map((d) => d.message).join('\n'));
      const lockerKind = configs[0]!.persistence.locker.kind;
      const supervisor = new Supervisor(options.supervise ?? true, (e) => deps.events.emit(e));
      const watcher = new StoreWatcher(store.inspector, lockerKind, (e) => deps.events.emit(e), { pollMs: options.pollMs ?? 200, metricsEveryMs: 1000 });
      deps.events.emit({ type: 'cluster', state: 'created', detail: `${count} brokers on ${store.kind} (${store.location}) in ${dir}` });
      return new ClusterController(id, dir, store, lockerKind, built, supervisor, watcher, { ...deps, ports }, options);
    } catch (error) {
      ports.release(allocated);
      await store.stop().catch(() => undefined);
      throw error;
    }
  }

  get brokers(): readonly BrokerHandle[] {
    return this.handles;
  }

  /**
   * "Add broker": `broker<N+1>` from the cluster's template (broker1's when each broker has its
   * own), with ports of its own and, on PostgreSQL-protocol stores, its own link proxy. Started
   * at once when the cluster runs; with a master in place it joins as a slave.
   */
  async addBroker(): Promise<BrokerHandle> {
    if (this.handles.length >= MAX_BROKERS) throw new LabApiError('conflict', `cluster ${this.id} already has ${MAX_BROKERS} brokers`);
    let n = this.handles.length + 1;
    while (this.byName.has(`broker${n}`)) n++;
    const name = `broker${n}`;
    const built = await buildBroker({ ...buildInput(this.options, this.dir, this.store, this.deps.ports!, this.deps), name, template: this.options.templates[0]! });
    const duplicates = findDuplicateLeaseHolderIds([...this.configs, built.config]);
    if (duplicates.length > 0) {
      this.deps.ports!.release(built.ports);
      throw new LabApiError('bad-request', duplicates.map((d) => d.message).join('\n'));
    }
    this.adopt(built);
    this.deps.events.emit({ type: 'cluster', state: 'broker-added', detail: `${name} added on ports ${built.ports.join(', ')}${this.started ? ', starting as a slave' : ''}` });
    if (this.started) built.handle.start();
    return built.handle;
  }

  broker(name: string): BrokerHandle {
    const broker = this.byName.get(name);
    if (!broker) throw new LabApiError('not-found', `no broker "${name}" in cluster ${this.id} (brokers: ${[...this.byName.keys()].join(', ')})`);
    return broker;
  }

  get supervise(): boolean {
    return this.supervisor.isEnabled;
  }

  setSupervise(enabled: boolean): void {
    this.supervisor.setEnabled(enabled);
  }

  /** Starts every broker not running: broker1 first (it becomes master), then the rest together. */
  async start(): Promise<void> {
    this.watcher.start();
    const [first, ...rest] = this.brokers.filter((b) => !b.running);
    if (!this.started) this.deps.events.emit({ type: 'cluster', state: 'started', detail: `starting ${this.brokers.length} brokers` });
    this.started = true;
    if (!first) return;
    first.start();
    const deadline = Date.now() + FIRST_BROKER_HEAD_START_MS;
    while (first.running && first.role === 'starting' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    for (const broker of rest) broker.start();
  }

  /** SIGTERM to every broker, slaves before the master so the lock does not move on the way out. */
  async stop(): Promise<void> {
    this.supervisor.cancel();
    const wasSupervising = this.supervisor.isEnabled;
    this.supervisor.setEnabled(false);
    const slaves = this.brokers.filter((b) => b.role !== 'master');
    await Promise.all(slaves.map((b) => b.stop()));
    await Promise.all(this.brokers.map((b) => b.stop()));
    this.supervisor.setEnabled(wasSupervising);
    this.deps.events.emit({ type: 'cluster', state: 'stopped', detail: 'every broker stopped' });
  }

  /** Stops the brokers and releases the store host (the SQLite file and PostgreSQL schema stay). */
  async destroy(): Promise<void> {
    await this.stop();
    this.watcher.stop();
    await this.store.stop();
    this.deps.ports?.release(this.ports);
    this.deps.events.emit({ type: 'cluster', state: 'destroyed', detail: `cluster ${this.id} closed; its files stay in ${this.dir}` });
  }

  async restartBroker(name: string): Promise<void> {
    const broker = this.broker(name);
    await broker.stop();
    broker.start();
  }

  lock(): LockView | null {
    const master = this.brokers.find((b) => b.role === 'master');
    return this.watcher.lock ?? master?.view().lock ?? null;
  }

  status(): ClusterStatus {
    return {
      id: this.id,
      dir: this.dir,
      store: { kind: this.store.kind, location: this.store.location, limits: this.store.limits, linkProxies: this.store.hasLinkProxies },
      lockerKind: this.lockerKind,
      supervise: this.supervise,
      brokers: this.brokers.map((b) => ({ ...b.view(), configFile: b.spec.configFile, link: this.store.linkState(b.name) })),
      lock: this.lock(),
    };
  }
}

function buildInput(options: ClusterOptions, dir: string, store: LockStoreHost, ports: PortAllocator, deps: ClusterDeps): Omit<BrokerBuildInput, 'name' | 'template'> {
  return {
    clusterDir: dir,
    store,
    ports,
    properties: options.properties ?? {},
    ...(options.durability ? { durability: options.durability } : {}),
    launcher: deps.launcher,
    emit: (e) => deps.events.emit(e),
  };
}
