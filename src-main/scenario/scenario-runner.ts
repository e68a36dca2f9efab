import type { LabApi, ScenarioProgressView } from '../api/contract/index.js';
import { check } from './checker.js';
import { fireFault, planFaults, storeProblem } from './fault-schedule.js';
import type { PlannedFault } from './fault-schedule.js';
import type { History, HistoryEntry } from './history.js';
import { explain } from './explain.js';
import { checkMessages } from './message-check.js';
import { PortProber } from './port-prober.js';
import { REPORT_SCHEMA, evaluate } from './report.js';
import type { FaultRecord, ScenarioReport } from './report.js';
import type { Scenario } from './scenario-format.js';
import { Consumers, Producers } from './workload.js';

/** A run's counters, as LabApi's scenario events carry them. */
export type ScenarioProgress = ScenarioProgressView;

export interface RunOptions {
  /** Overrides the scenario's store (`--store`). */
  store?: string;
  /** Overrides the random faults' seed (`--seed`). */
  seed?: number;
  onProgress?: (progress: ScenarioProgress) => void;
}

/** After the last timed fault ended: time to see its consequences (a woken master giving up). */
const SETTLE_AFTER_FAULT_MS = 1500;

/**
 * Runs a scenario through LabApi: creates and starts the cluster, runs the workload with failover
 * clients, fires the fault schedule, records the history, drains, checks and tears down.
 */
export class ScenarioRunner {
  private readonly entries: HistoryEntry[] = [];
  private readonly faults: FaultRecord[] = [];
  private readonly notes: string[] = [];
  private readonly undo: Array<{ timer: NodeJS.Timeout; fault: PlannedFault; run: () => Promise<unknown> }> = [];
  /** When the last fault with a duration (a pause, a cut link...) is over. */
  private faultsBusyUntil = 0;

  constructor(
    private readonly lab: LabApi,
    private readonly scenario: Scenario,
    private readonly options: RunOptions = {},
  ) {}

  async run(): Promise<ScenarioReport> {
    const s = this.scenario;
    const store = this.options.store ?? s.cluster.store;
    const problem = storeProblem(s, store);
    if (problem) throw new Error(problem);
    const startedAt = Date.now();
    const record = (e: HistoryEntry) => this.entries.push(e);
    const unsubscribe = this.lab.subscribe((event) => {
      if (event.type === 'broker-state' || event.type === 'lock' || event.type === 'fault') record({ type: 'lab', event });
    });
    let producers: Producers | null = null;
    let consumers: Consumers | null = null;
    let prober: PortProber | null = null;
    const progress = (phase: ScenarioProgress['phase']) =>
      this.options.onProgress?.({ phase, elapsedMs: Date.now() - startedAt, total: s.workload.count, sent: producers?.invoked ?? 0, receipted: producers?.receipted ?? 0, delivered: consumers?.delivered ?? 0, faults: this.faults.length });
    try {
      progress('starting');
      await this.lab.invoke('cluster/create', {
        brokers: s.cluster.brokers,
        store,
        locker: s.cluster.locker,
        keepAliveMs: s.cluster.keepAliveMs,
        lockAcquireSleepIntervalMs: s.cluster.lockAcquireSleepIntervalMs,
        supervise: s.cluster.supervise,
        ...(s.cluster.configXml ? { configXml: s.cluster.configXml, configName: `${s.name} template` } : {}),
        start: true,
      });
      const ports = await this.waitForMaster();
      const uri = `failover:(${[...ports.values()].map((p) => `stomp://127.0.0.1:${p}`).join(',')})?${s.client.options}`;
      prober = new PortProber(ports, (broker, accepting, ts) => record({ type: 'port', broker, ts, accepting }));
      prober.start();

      consumers = new Consumers(uri, s.workload, record);
      if (!s.workload.consumeAfterSend) await consumers.start();
      else await consumers.registerDurables();
      const plan = planFaults(s, this.options.seed);
      const workloadStart = Date.now();
      const countFaults = plan.filter((f) => f.afterMessages !== null);
      const timers = plan.filter((f) => f.atMs !== null).map((f) => setTimeout(() => void this.fire(f), f.atMs!));
      producers = new Producers(uri, s.workload, record, (total) => {
        while (countFaults.length > 0 && countFaults[0]!.afterMessages! <= total) void this.fire(countFaults.shift()!);
      });
      await producers.start();
      const ticker = setInterval(() => progress(producers!.invoked < s.workload.count ? 'running' : 'draining'), 250);
      const deadline = setTimeout(() => {
        this.notes.push(`stopped sending after maxDurationMs=${s.maxDurationMs}`);
        producers?.stop();
      }, s.maxDurationMs);
      try {
        await producers.run();
        // Faults scheduled for later still happen (a restart after a kill, say) before the drain.
        const lastAt = Math.max(0, ...plan.map((f) => f.atMs ?? 0));
        const wait = workloadStart + lastAt - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait + 200));
        // What happens when a paused master wakes or a link heals is the point: watch it before the drain.
        const busy = this.faultsBusyUntil + SETTLE_AFTER_FAULT_MS - Date.now();
        if (this.faultsBusyUntil > 0 && busy > 0) await new Promise((r) => setTimeout(r, busy));
        if (s.workload.consumeAfterSend) await consumers.start();
        await this.drain(consumers, s.drainMs, startedAt);
      } finally {
        clearInterval(ticker);
        clearTimeout(deadline);
        timers.forEach(clearTimeout);
      }
      progress('checking');
      for (const u of this.undo.splice(0)) {
        clearTimeout(u.timer);
        await this.runUndo(u.fault, u.run);
      }
    } finally {
      unsubscribe();
      prober?.stop();
      await producers?.close();
      await consumers?.stop();
      await this.lab.invoke('cluster/destroy', {}).catch(() => undefined);
    }
    const endedAt = Date.now();
    const history = this.history(startedAt, endedAt, consumers);
    const result = check(history);
    const expectations = evaluate(s.expect, result);
    progress('done');
    return {
      schema: REPORT_SCHEMA,
      scenario: { name: s.name, description: s.description },
      store,
      locker: s.cluster.locker,
      brokers: s.cluster.brokers,
      seed: s.random ? (this.options.seed ?? s.random.seed) : null,
      startedAt,
      endedAt,
      durationMs: endedAt - startedAt,
      passed: expectations.every((e) => e.passed),
      expectations,
      ...result,
      dualMasterMs: result.dualMaster.totalMs,
      faults: this.faults,
      clientEvents: this.entries.flatMap((e) =>
        e.type === 'client'
          ? [{ process: e.process, type: e.event.type, ts: e.event.ts, uri: 'uri' in e.event ? e.event.uri : null, detail: 'reason' in e.event ? e.event.reason : null }]
          : [],
      ),
      notes: this.notes,
      explanations: explain(s, store, history, result, this.faults),
    };
  }

  private history(startTs: number, endTs: number, consumers: Consumers | null): History {
    return { startTs, endTs, entries: this.entries, groups: consumers?.groups ?? [] };
  }

  /** Exactly one master, and the STOMP port of every broker. */
  private async waitForMaster(): Promise<Map<string, number>> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const status = await this.lab.invoke('cluster/status');
      if (status.brokers.filter((b) => b.role === 'master').length === 1) {
        return new Map(status.brokers.map((b) => [b.name, (b.connectors.find((c) => c.uri.startsWith('stomp')) ?? b.connectors[0])!.port]));
      }
      if (Date.now() > deadline) throw new Error(`no master within 30 s: ${status.brokers.map((b) => `${b.name}=${b.role}`).join(', ')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private async fire(fault: PlannedFault): Promise<void> {
    const ts = Date.now();
    if (fault.durationMs) this.faultsBusyUntil = Math.max(this.faultsBusyUntil, ts + fault.durationMs);
    try {
      const detail = await fireFault(this.lab, fault, (ms, run) => {
        const entry = {
          fault,
          run,
          timer: setTimeout(() => {
            this.undo.splice(this.undo.indexOf(entry), 1);
            void this.runUndo(fault, run);
          }, ms),
        };
        this.undo.push(entry);
      });
      this.faults.push({ ts, action: fault.action, target: fault.target, random: fault.random, detail, ok: true });
    } catch (error) {
      this.faults.push({ ts, action: fault.action, target: fault.target, random: fault.random, detail: (error as Error).message, ok: false });
    }
  }

  /**
   * Ends a fault with a duration (resume a pause, heal a link). A failure is reported in the notes,
   * not swallowed: a broker left paused or a link left cut changes what the verdict means.
   */
  private async runUndo(fault: PlannedFault, run: () => Promise<unknown>): Promise<void> {
    try {
      await run();
    } catch (error) {
      this.notes.push(`ending ${fault.action} on ${fault.target} failed: ${(error as Error).message}`);
    }
  }

  /** Until every receipted message reached every group that expects it, or `drainMs`. */
  private async drain(consumers: Consumers, drainMs: number, startTs: number): Promise<void> {
    if (consumers.groups.length === 0) return;
    const deadline = Date.now() + drainMs;
    while (Date.now() < deadline) {
      if (checkMessages(this.history(startTs, Date.now(), consumers)).verdict.lost === 0) {
        // Give late duplicates a moment to show.
        await new Promise((r) => setTimeout(r, 300));
        return;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    this.notes.push(`consumers had not received everything ${drainMs} ms after the last send (drainMs)`);
  }
}
