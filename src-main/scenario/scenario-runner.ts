import type { LabApi, ScenarioProgressView } from '../api/contract/index.js';
import { check } from './checker.js';
import { fireFault, planFaults, storeProblem } from './fault-schedule.js';
import type { PlannedFault } from './fault-schedule.js';
import type { History, HistoryEntry } from './history.js';
import { explain } from './explain.js';
import { memoryGrowth, memorySample, type MemorySample } from './memory-sampler.js';
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
  /** Overrides a soak's number of faults (`--faults`). */
  faults?: number;
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
  private readonly memory: MemorySample[] = [];
  /** Soak: brokers found exited before a fault and started again, by how they had ended. */
  private readonly revived = new Map<string, number>();

  constructor(
    private readonly lab: LabApi,
    private readonly scenario: Scenario,
    private readonly options: RunOptions = {},
  ) {}

  async run(): Promise<ScenarioReport> {
    const soakFaults = this.options.faults;
    const s = soakFaults !== undefined && this.scenario.soak ? { ...this.scenario, soak: { ...this.scenario.soak, faults: soakFaults } } : this.scenario;
    const store = this.options.store ?? s.cluster.store;
    const problem = storeProblem(s, store);
    if (problem) throw new Error(problem);
    const startedAt = Date.now();
    const record = (e: HistoryEntry) => this.entries.push(e);
    const unsubscribe = this.lab.subscribe((event) => {
      if (event.type === 'broker-state' || event.type === 'lock' || event.type === 'fault') record({ type: 'lab', event });
    });
    const workloads = [s.workload, ...s.moreWorkloads];
    let producers: Producers[] = [];
    let consumers: Consumers[] = [];
    let prober: PortProber | null = null;
    const sum = <T>(list: readonly T[], of: (x: T) => number) => list.reduce((n, x) => n + of(x), 0);
    const total = s.soak ? 0 : sum(workloads, (w) => w.count);
    const progress = (phase: ScenarioProgress['phase']) =>
      this.options.onProgress?.({ phase, elapsedMs: Date.now() - startedAt, total, sent: sum(producers, (p) => p.invoked), receipted: sum(producers, (p) => p.receipted), delivered: sum(consumers, (c) => c.delivered), faults: this.faults.length });
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

      const prefix = (i: number) => (i === 0 ? '' : `w${i + 1}.`);
      consumers = workloads.map((w, i) => new Consumers(uri, w, record, prefix(i)));
      for (const [i, c] of consumers.entries()) {
        if (!workloads[i]!.consumeAfterSend) await c.start();
        else await c.registerDurables();
      }
      const plan = planFaults(s, this.options.seed, store);
      const workloadStart = Date.now();
      const countFaults = plan.filter((f) => f.afterMessages !== null);
      const timers = plan.filter((f) => f.atMs !== null).map((f) => setTimeout(() => void this.fire(f, s.soak !== undefined), f.atMs!));
      let invoked = 0;
      producers = workloads.map(
        (w, i) =>
          new Producers(uri, w, record, () => {
            invoked++;
            while (countFaults.length > 0 && countFaults[0]!.afterMessages! <= invoked) void this.fire(countFaults.shift()!);
          }, prefix(i)),
      );
      for (const p of producers) await p.start();
      const ticker = setInterval(() => progress(s.soak || invoked < total ? 'running' : 'draining'), 250);
      const stopSending = (note: string | null) => {
        if (note) this.notes.push(note);
        for (const p of producers) p.stop();
      };
      const deadline = setTimeout(() => stopSending(`stopped sending after maxDurationMs=${s.maxDurationMs}`), s.maxDurationMs);
      // A soak sends until its last fault is over, whatever the workload's count.
      const soakEnd = s.soak ? setTimeout(() => stopSending(null), Math.max(0, ...plan.map((f) => (f.atMs ?? 0) + (f.durationMs ?? 0))) + SETTLE_AFTER_FAULT_MS) : null;
      try {
        await Promise.all(producers.map((p) => p.run()));
        // Faults scheduled for later still happen (a restart after a kill, say) before the drain.
        const lastAt = Math.max(0, ...plan.map((f) => f.atMs ?? 0));
        const wait = workloadStart + lastAt - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait + 200));
        // What happens when a paused master wakes or a link heals is the point: watch it before the drain.
        const busy = this.faultsBusyUntil + SETTLE_AFTER_FAULT_MS - Date.now();
        if (this.faultsBusyUntil > 0 && busy > 0) await new Promise((r) => setTimeout(r, busy));
        // The last sample before the drain: the drain's repeated checks allocate what a leak would.
        if (s.soak) await this.sampleMemory();
        for (const [i, c] of consumers.entries()) if (workloads[i]!.consumeAfterSend) await c.start();
        await this.drain(consumers, s.drainMs, startedAt);
      } finally {
        clearInterval(ticker);
        clearTimeout(deadline);
        if (soakEnd) clearTimeout(soakEnd);
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
      await Promise.all(producers.map((p) => p.close()));
      await Promise.all(consumers.map((c) => c.stop()));
      await this.lab.invoke('cluster/destroy', {}).catch(() => undefined);
    }
    if (this.revived.size > 0) {
      this.notes.push(`soak: started again before a fault ${[...this.revived].map(([how, n]) => `${n} broker(s) that had ended with ${how}`).join(', ')}`);
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
      seed: s.random || s.soak ? (this.options.seed ?? s.random?.seed ?? s.soak!.seed) : null,
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
      ...(s.soak ? { memory: { samples: this.memory, growth: memoryGrowth(this.memory) } } : {}),
      notes: this.notes,
      explanations: explain(s, store, history, result, this.faults),
    };
  }

  private history(startTs: number, endTs: number, consumers: readonly Consumers[]): History {
    return { startTs, endTs, entries: this.entries, groups: consumers.flatMap((c) => c.groups) };
  }

  /**
   * A soak keeps its cluster whole, as a process manager would: a broker that exited without coming
   * back (one that started while its database link was cut, say) is started again before the next
   * fault, or the soak would end up breaking a cluster of one. The report's notes count them.
   */
  private async reviveExited(): Promise<void> {
    const status = await this.lab.invoke('cluster/status').catch(() => null);
    for (const b of status?.brokers ?? []) {
      if (b.pid !== null || b.role === 'paused') continue;
      const how = b.lastExit ? (b.lastExit.signal ?? `exit code ${b.lastExit.code}`) : 'never started';
      const ok = await this.lab.invoke('broker/start', { broker: b.name }).then(
        () => true,
        () => false,
      );
      if (ok) this.revived.set(how, (this.revived.get(how) ?? 0) + 1);
    }
  }

  /** RSS of the lab host and the brokers; a soak takes one before each fault and one at the end. */
  private async sampleMemory(): Promise<void> {
    const status = await this.lab.invoke('cluster/status').catch(() => null);
    if (status) this.memory.push(memorySample(this.faults.length, status));
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

  private async fire(fault: PlannedFault, soak = false): Promise<void> {
    if (soak) {
      await this.reviveExited();
      await this.sampleMemory();
    }
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
  private async drain(consumers: readonly Consumers[], drainMs: number, startTs: number): Promise<void> {
    if (consumers.every((c) => c.groups.length === 0)) return;
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
