import type { BrokerConfig } from '../../broker/config/broker-config.js';
import { findDuplicateLeaseHolderIds, loadConfig } from '../../broker/config/index.js';
import { ClusterController } from '../cluster/cluster-controller.js';
import type { ClusterTemplate } from '../cluster/cluster-controller.js';
import type { HelperRuntime } from '../store-host/index.js';
import { defaultTemplate } from '../cluster/default-template.js';
import { EventLog } from '../cluster/event-log.js';
import { PortAllocator } from '../cluster/port-allocator.js';
import type { ProcessLauncher } from '../cluster/process-launcher.js';
import { FaultInjector } from '../faults/fault-injector.js';
import { buildTimeline, watchDualMaster } from '../timeline/index.js';
import type { FaultKind, FaultResult, LabApi, LabCommand, LabEvent, LabPayload, LabResult, LabResults } from './contract/index.js';
import { parsePayload } from './lab-schemas.js';
import type { LabParsedPayload, LabRunner } from './lab-schemas.js';
import { LabApiError } from './lab-errors.js';
import { SaveTargets } from './save-target.js';
import { ScenarioRuns } from './scenario-runs.js';
import * as storeCommands from './store-commands.js';

export interface LabServiceOptions {
  launcher: ProcessLauncher;
  /** Where cluster directories go. */
  labDir: string;
  events?: EventLog;
  pollMs?: number;
  /**
   * The Node that runs the lab's helper processes (the SQLite inspector) and its environment.
   * Default: this process's executable, which in Electron is Electron itself (pass the system node
   * in development, or Electron with `ELECTRON_RUN_AS_NODE=1` when packaged).
   */
  helpers?: HelperRuntime;
}

type Handlers = { [C in LabCommand]: (payload: LabParsedPayload<C>) => Promise<LabResults[C]> };

/**
 * The lab host behind LabApi: one cluster at a time, its fault injector and the event log. `invoke`
 * validates the payload against its schema before anything happens; `run` is for a shell that
 * validated it already (Electron IPC), so no payload is checked twice.
 */
export class LabService implements LabApi, LabRunner {
  readonly events: EventLog;
  private cluster: ClusterController | null = null;
  private faults: FaultInjector | null = null;
  private readonly ports = new PortAllocator();
  private readonly handlers: Handlers;
  private readonly scenarios: ScenarioRuns;
  private readonly stopWatching: () => void;
  private readonly saveTargets: SaveTargets;

  constructor(private readonly options: LabServiceOptions) {
    this.events = options.events ?? new EventLog();
    this.stopWatching = watchDualMaster(this.events);
    this.saveTargets = new SaveTargets(options.labDir);
    this.scenarios = new ScenarioRuns(this, () => this.destroy(), (e) => this.events.emit(e));
    this.handlers = {
      'cluster/create': (p) => this.create(p),
      'cluster/start': async () => {
        await this.need().start();
        return this.need().status();
      },
      'cluster/stop': async () => {
        await this.need().stop();
        return this.need().status();
      },
      'cluster/destroy': async () => ({ destroyed: await this.destroy() }),
      'cluster/status': async () => this.need().status(),
      'cluster/supervise': async (p) => {
        this.need().setSupervise(p.enabled);
        return this.need().status();
      },
      'cluster/events': async (p) => ({ events: this.events.since(p.afterSeq) }),
      'cluster/add-broker': async () => {
        const cluster = this.need();
        const added = await cluster.addBroker();
        return cluster.status().brokers.find((b) => b.name === added.name)!;
      },
      'cluster/timeline': async () => buildTimeline(this.events.since(0), Date.now()),
      'broker/start': (p) => this.broker(p.broker, (f) => f.start(p.broker)),
      'broker/stop': (p) => this.broker(p.broker, (f) => f.terminate(p.broker)),
      'broker/kill': (p) => this.broker(p.broker, (f) => f.kill(p.broker)),
      'broker/pause': (p) => this.broker(p.broker, async (f) => f.pause(p.broker, p.durationMs)),
      'broker/resume': (p) => this.broker(p.broker, async (f) => f.resume(p.broker)),
      'broker/restart': (p) => this.broker(p.broker, (f) => f.restart(p.broker)),
      'fault/cut-link': (p) => this.fault('cut-link', p.broker, (f) => f.cutLink(p.broker, p.mode)),
      'fault/heal-link': (p) => this.fault('heal-link', p.broker, (f) => f.healLink(p.broker)),
      'fault/latency': (p) => this.fault('latency', p.broker, (f) => f.setLatency(p.broker, p.latencyMs)),
      'fault/db-restart': () => this.fault('db-restart', null, (f) => f.restartDatabase()),
      'fault/clock-offset': (p) => this.fault('clock-offset', p.broker, async (f) => f.setClockOffset(p.broker, p.offsetMs)),
      'fault/db-failure': (p) => this.fault('db-failure', p.broker, async (f) => f.setDatabaseFailure(p.broker, p.failing), true),
      'store/inspect': async () => this.inspect(),
      'store/save': async (p) => {
        const cluster = this.need();
        const file = this.saveTargets.resolve(p.file, p.overwrite);
        await cluster.store.save(file);
        return { file };
      },
      'store/browse': (p) => storeCommands.browse(this.need(), p),
      'store/send': (p) => storeCommands.send(this.need(), p),
      'store/purge': (p) => storeCommands.purge(this.need(), p),
      'store/subscriptions': () => storeCommands.subscriptions(this.need()),
      'config/validate': async (p) => validateConfig(p.xml, p.brokers),
      'scenario/list': async () => this.scenarios.list(),
      'scenario/run': async (p) => this.scenarios.start(p.text, p.store),
      'scenario/runs': async () => this.scenarios.all(),
      'scenario/report-html': async (p) => this.scenarios.html(p.runId),
    };
  }

  async invoke<C extends LabCommand>(command: C, payload?: LabPayload<C>): Promise<LabResult<C>> {
    return this.run(command, parsePayload(command, payload));
  }

  async run<C extends LabCommand>(command: C, payload: LabParsedPayload<C>): Promise<LabResult<C>> {
    const handler = this.handlers[command] as (p: LabParsedPayload<C>) => Promise<LabResult<C>>;
    return handler(payload);
  }

  /**
   * A file the user chose outside the API (a save dialog, `--save-pgmem`): `store/save` may write
   * there although it is outside the lab directory. Returns its absolute path.
   */
  grantSavePath(file: string): string {
    return this.saveTargets.grant(file);
  }

  subscribe(listener: (event: LabEvent) => void): () => void {
    return this.events.subscribe(listener);
  }

  /** Stops the brokers and the store host; the SQLite file and PostgreSQL schema stay. */
  async close(): Promise<void> {
    await this.destroy();
    this.stopWatching();
  }

  private need(): ClusterController {
    if (!this.cluster) throw new LabApiError('conflict', 'no cluster: create one first (cluster/create)');
    return this.cluster;
  }

  private async create(p: LabParsedPayload<'cluster/create'>): Promise<LabResults['cluster/create']> {
    if (this.cluster) throw new LabApiError('conflict', `cluster ${this.cluster.id} exists: cluster/destroy it first`);
    const templates: ClusterTemplate[] = p.configXmls
      ? p.configXmls.map((xml, i) => ({ name: `config ${i + 1}`, xml }))
      : [p.configXml ? { name: p.configName ?? 'the template', xml: p.configXml } : { name: 'built-in template', xml: defaultTemplate(p) }];
    const cluster = await ClusterController.create(
      {
        labDir: this.options.labDir,
        brokers: p.brokers,
        templates,
        store: p.store,
        properties: p.properties,
        durability: p.durability,
        supervise: p.supervise,
        ...(this.options.pollMs ? { pollMs: this.options.pollMs } : {}),
        ...(this.options.helpers ? { helpers: this.options.helpers } : {}),
      },
      { launcher: this.options.launcher, events: this.events, ports: this.ports },
    );
    this.cluster = cluster;
    this.faults = new FaultInjector(cluster, this.events);
    if (p.start) await cluster.start();
    return cluster.status();
  }

  private async destroy(): Promise<boolean> {
    const cluster = this.cluster;
    if (!cluster) return false;
    this.faults?.stop();
    this.cluster = null;
    this.faults = null;
    await cluster.destroy();
    return true;
  }

  private async broker(name: string, act: (faults: FaultInjector) => Promise<void>): Promise<LabResults['broker/start']> {
    const cluster = this.need();
    cluster.broker(name);
    await act(this.faults!);
    return cluster.status().brokers.find((b) => b.name === name)!;
  }

  private async fault(fault: FaultKind, broker: string | null, act: (faults: FaultInjector) => Promise<unknown>, simulated = false): Promise<FaultResult> {
    this.need();
    const result = await act(this.faults!);
    const last = this.events.since(0).reverse().find((e) => e.type === 'fault' && e.fault === fault);
    return { fault, broker, detail: typeof result === 'string' ? result : last?.type === 'fault' ? last.detail : fault, simulated };
  }

  private async inspect(): Promise<LabResults['store/inspect']> {
    const cluster = this.need();
    let snapshot;
    try {
      snapshot = await cluster.store.inspector.inspect();
    } catch (error) {
      throw new LabApiError('failed', `cannot read the lock store: ${(error as Error).message}`, { cause: error });
    }
    return {
      kind: cluster.store.kind,
      location: cluster.store.location,
      limits: cluster.store.limits,
      lockRow: snapshot.lock,
      lock: cluster.watcher.toLockView(snapshot),
      queues: snapshot.queues,
    };
  }
}

/** `config/validate`: the loader's diagnostics, plus what only shows across N brokers of the template. */
export function validateConfig(xml: string, brokers: number): LabResults['config/validate'] {
  const { diagnostics } = loadConfig(xml);
  const configs: BrokerConfig[] = [];
  for (let i = 1; i <= brokers; i++) {
    const loaded = loadConfig(xml, { brokerName: `broker${i}` });
    if (loaded.config) configs.push(loaded.config);
  }
  const cluster = configs.length === brokers ? findDuplicateLeaseHolderIds(configs) : [];
  return { ok: !diagnostics.some((d) => d.severity === 'error') && cluster.length === 0, diagnostics, cluster };
}
