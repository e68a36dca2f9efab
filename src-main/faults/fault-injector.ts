import type { FaultKind, LabEventInput } from '../api/contract/index.js';
import { LabApiError } from '../api/lab-errors.js';
import type { ClusterController } from '../cluster/cluster-controller.js';
import type { EventLog } from '../cluster/event-log.js';
import type { LinkMode } from '../store-host/index.js';
import { watchEffects } from './fault-effects.js';

/**
 * Breaks a cluster on purpose (docs/lab.md, Faults): signals, pauses for a duration, the
 * database link of one broker (cut, slow, heal: real for PostgreSQL-protocol stores; simulated by
 * the broker's store layer for SQLite), database restarts and clock offsets. Every fault is a
 * `fault` event, followed by its effects.
 */
export class FaultInjector {
  private readonly resumeTimers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly cluster: ClusterController,
    private readonly events: EventLog,
  ) {}

  async kill(name: string): Promise<void> {
    const broker = this.cluster.broker(name);
    this.inject('kill', name, 'SIGKILL (kill -9): no clean stop, the lock is released by the database');
    this.clearResume(name);
    await broker.kill();
  }

  async terminate(name: string): Promise<void> {
    const broker = this.cluster.broker(name);
    if (!broker.running) throw new LabApiError('conflict', `cannot stop ${name}: it is not running`);
    this.inject('terminate', name, 'SIGTERM: clean stop, the lock is released');
    this.clearResume(name);
    await broker.stop();
  }

  async start(name: string): Promise<void> {
    this.cluster.broker(name).start();
  }

  /** SIGSTOP; with `durationMs`, SIGCONT after it. */
  pause(name: string, durationMs?: number): void {
    const broker = this.cluster.broker(name);
    const master = this.currentMaster();
    broker.pause();
    this.inject('pause', name, durationMs ? `SIGSTOP for ${durationMs} ms, then SIGCONT` : 'SIGSTOP until resumed', false, master);
    if (durationMs) {
      const timer = setTimeout(() => {
        this.resumeTimers.delete(name);
        if (broker.isPaused) this.resume(name);
      }, durationMs);
      this.resumeTimers.set(name, timer);
    }
  }

  resume(name: string): void {
    const broker = this.cluster.broker(name);
    broker.resume();
    this.clearResume(name);
    this.events.emit({ type: 'fault', fault: 'resume', phase: 'healed', broker: name, simulated: false, detail: 'SIGCONT' });
  }

  async restart(name: string): Promise<void> {
    this.inject('restart', name, 'SIGTERM, then started again');
    this.clearResume(name);
    await this.cluster.restartBroker(name);
  }

  async cutLink(name: string, mode: LinkMode): Promise<void> {
    this.cluster.broker(name);
    await this.cluster.store.cutLink(name, mode);
    this.inject('cut-link', name, mode === 'reset' ? 'database link cut: connections reset (like reset_peer)' : 'database link cut: packets black-holed, sockets left open (like timeout)');
  }

  async healLink(name: string): Promise<void> {
    this.cluster.broker(name);
    await this.cluster.store.healLink(name);
    this.events.emit({ type: 'fault', fault: 'heal-link', phase: 'healed', broker: name, simulated: false, detail: 'database link healed' });
  }

  async setLatency(name: string, latencyMs: number): Promise<void> {
    this.cluster.broker(name);
    await this.cluster.store.setLatency(name, latencyMs);
    this.inject('latency', name, `database link latency ${latencyMs} ms each way`);
  }

  async restartDatabase(): Promise<string> {
    const detail = await this.cluster.store.restartDatabase();
    this.inject('db-restart', null, detail);
    return detail;
  }

  setClockOffset(name: string, offsetMs: number): void {
    this.cluster.broker(name).setClockOffset(offsetMs);
    this.inject('clock-offset', name, `wall clock offset ${offsetMs} ms (monotonic time unchanged)`);
  }

  /** The broker's own store layer fails (or heals) every operation: labelled simulated. */
  setDatabaseFailure(name: string, failing: boolean): void {
    const broker = this.cluster.broker(name);
    broker.sendControl({ cmd: 'simulate-db-failure', failing });
    if (failing) this.inject('db-failure', name, 'simulated database failure: the broker\'s store rejects every operation', true);
    else this.events.emit({ type: 'fault', fault: 'db-failure', phase: 'healed', broker: name, simulated: true, detail: 'simulated database failure healed' });
  }

  stop(): void {
    for (const timer of this.resumeTimers.values()) clearTimeout(timer);
    this.resumeTimers.clear();
  }

  private clearResume(name: string): void {
    const timer = this.resumeTimers.get(name);
    if (timer) clearTimeout(timer);
    this.resumeTimers.delete(name);
  }

  private currentMaster(): string | null {
    return this.cluster.brokers.find((b) => b.role === 'master')?.name ?? null;
  }

  private inject(fault: FaultKind, broker: string | null, detail: string, simulated = false, master = this.currentMaster()): void {
    const event = this.events.emit({ type: 'fault', fault, phase: 'injected', broker, simulated, detail } satisfies LabEventInput);
    watchEffects(this.events, fault, broker, master, event.ts);
  }
}
