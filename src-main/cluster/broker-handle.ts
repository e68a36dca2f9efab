import type { ControlCommand, ControlCommandOf, ControlNoticeName, ControlRequestName, ControlResults, StatusLine } from '../../broker/server/index.js';
import type { BrokerStatus, ConnectorView, LabEventInput, LabRole } from '../api/contract/index.js';
import { LabApiError } from '../api/lab-errors.js';
import { parseBrokerLine } from './broker-output.js';
import { parseControlResult } from './control-results.js';
import type { LaunchedProcess, ProcessExit, ProcessLauncher } from './process-launcher.js';

export interface BrokerSpec {
  name: string;
  configFile: string;
  /** The connector ports the template renderer wrote, kept across restarts. */
  ports: readonly number[];
  connectorUris: readonly string[];
  /** `name` of each `<transportConnector>`, in document order. */
  connectorNames: readonly string[];
  dir: string;
  /** Extra `failover-lab broker` flags (`-D`, `--durability`). */
  args: readonly string[];
  env: Readonly<Record<string, string>>;
}

/** What the lab knows of one broker (the contract's BrokerStatus without the cluster's parts). */
export type BrokerView = Omit<BrokerStatus, 'configFile' | 'link'>;

const STOP_TIMEOUT_MS = 10_000;
const CONTROL_TIMEOUT_MS = 10_000;

type ControlWaiter = { cmd: ControlRequestName; resolve(result: Record<string, unknown> | null): void; reject(error: Error): void };

/**
 * One broker of a cluster: its process (if any), what its last status line said, and whether the
 * lab paused it. Every change is handed to `emit` as a LabEvent; roles come from the broker's JSON
 * status lines only, except `paused` and the exit, which the lab itself observes.
 */
export class BrokerHandle {
  private process: LaunchedProcess | null = null;
  private status: StatusLine | null = null;
  private paused = false;
  private exit: ProcessExit | null = null;
  private stderrTail = '';
  private clockOffset = 0;
  private readonly exitListeners = new Set<(exit: ProcessExit, intentional: boolean) => void>();
  private stopRequested = false;
  /** Commands answered when done (purge), one at a time so replies match in order. */
  private readonly controlWaiters: ControlWaiter[] = [];
  private controlChain: Promise<unknown> = Promise.resolve();

  constructor(
    readonly spec: BrokerSpec,
    private readonly launcher: ProcessLauncher,
    private readonly emit: (event: LabEventInput) => void,
  ) {}

  get name(): string {
    return this.spec.name;
  }

  get running(): boolean {
    return this.process !== null;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  get clockOffsetMs(): number {
    return this.clockOffset;
  }

  get stderr(): string {
    return this.stderrTail;
  }

  get role(): LabRole {
    if (!this.process) return 'stopped';
    if (this.paused) return 'paused';
    return this.status?.role ?? 'starting';
  }

  view(): BrokerView {
    return {
      name: this.name,
      role: this.role,
      pid: this.process?.pid ?? null,
      connectors: this.connectors(),
      lock: this.status?.lock ?? null,
      clockOffsetMs: this.clockOffset,
      lastExit: this.exit,
    };
  }

  /** Called with every exit; `intentional` is true when the lab stopped or killed it. */
  onExit(listener: (exit: ProcessExit, intentional: boolean) => void): () => void {
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  start(): void {
    if (this.process) throw new LabApiError('conflict', `${this.name} is already running (pid ${this.process.pid})`);
    this.status = null;
    this.paused = false;
    this.exit = null;
    this.stopRequested = false;
    this.stderrTail = '';
    const args = [...this.spec.args, '--config', this.spec.configFile, '--name', this.name, '--control', 'stdin'];
    if (this.clockOffset !== 0) args.push('--clock-offset', String(this.clockOffset));
    const launched = this.launcher.launch(
      { name: this.name, args, cwd: this.spec.dir, env: this.spec.env },
      { onLine: (line) => this.onLine(line), onStderr: (text) => this.onStderr(text) },
    );
    this.process = launched;
    this.emitState();
    void launched.exited.then((exit) => this.onProcessExit(launched, exit));
  }

  /** SIGTERM (SIGCONT first when paused, or the signal would wait); SIGKILL after `timeoutMs`. */
  async stop(timeoutMs = STOP_TIMEOUT_MS): Promise<ProcessExit | null> {
    const proc = this.process;
    if (!proc) return this.exit;
    this.stopRequested = true;
    proc.signal('SIGTERM');
    if (this.paused) this.resumeProcess(proc);
    const timer = setTimeout(() => proc.signal('SIGKILL'), timeoutMs);
    const exit = await proc.exited;
    clearTimeout(timer);
    return exit;
  }

  async kill(): Promise<ProcessExit> {
    const proc = this.requireProcess('kill');
    this.stopRequested = true;
    proc.signal('SIGKILL');
    return proc.exited;
  }

  pause(): void {
    const proc = this.requireProcess('pause');
    if (this.paused) throw new LabApiError('conflict', `${this.name} is already paused`);
    proc.signal('SIGSTOP');
    this.paused = true;
    this.emitState();
  }

  /** SIGCONT, then asks the broker for its status: its next line, not the lab, says what it is now. */
  resume(): void {
    const proc = this.requireProcess('resume');
    if (!this.paused) throw new LabApiError('conflict', `${this.name} is not paused`);
    this.resumeProcess(proc);
    this.sendControl({ cmd: 'status' });
  }

  /** A command the broker answers at once; a refusal comes back as a log line. */
  sendControl(command: ControlCommandOf<ControlNoticeName>): void {
    this.writeControl(command);
  }

  /** A control command whose reply carries a result (purge); rejects with the broker's error. */
  request<C extends ControlRequestName>(command: ControlCommand & { cmd: C }): Promise<ControlResults[C]> {
    const cmd = command.cmd;
    const run = () =>
      new Promise<ControlResults[C]>((resolve, reject) => {
        const timer = setTimeout(() => settle(new LabApiError('failed', `${this.name} did not answer ${cmd} within ${CONTROL_TIMEOUT_MS} ms`)), CONTROL_TIMEOUT_MS);
        const waiter: ControlWaiter = { cmd, resolve: (r) => settle(null, r), reject: (e) => settle(e) };
        const settle = (error: Error | null, raw?: Record<string, unknown> | null) => {
          clearTimeout(timer);
          const i = this.controlWaiters.indexOf(waiter);
          if (i >= 0) this.controlWaiters.splice(i, 1);
          if (error) return reject(error);
          const result = parseControlResult(cmd, raw);
          if (typeof result === 'string') reject(new LabApiError('failed', `${this.name}: ${result}`));
          else resolve(result);
        };
        this.controlWaiters.push(waiter);
        try {
          this.writeControl(command);
        } catch (error) {
          settle(error as Error);
        }
      });
    const result = this.controlChain.then(run, run);
    this.controlChain = result.catch(() => undefined);
    return result;
  }

  setClockOffset(offsetMs: number): void {
    this.clockOffset = offsetMs;
    if (this.process) this.sendControl({ cmd: 'set-clock-offset', offsetMs });
  }

  private writeControl(command: ControlCommand): void {
    this.requireProcess(command.cmd).writeLine(JSON.stringify(command));
  }

  private resumeProcess(proc: LaunchedProcess): void {
    proc.signal('SIGCONT');
    this.paused = false;
  }

  private requireProcess(action: string): LaunchedProcess {
    if (!this.process) throw new LabApiError('conflict', `cannot ${action} ${this.name}: it is not running`);
    return this.process;
  }

  private connectors(): ConnectorView[] {
    const open = this.status?.role === 'master' ? this.status.connectors : [];
    return this.spec.connectorUris.map((uri, i) => {
      const bound = open[i];
      return { name: bound?.name ?? this.spec.connectorNames[i] ?? `connector${i + 1}`, uri: bound?.boundUri ?? uri, port: bound?.port ?? this.spec.ports[i] ?? 0 };
    });
  }

  private onLine(line: string): void {
    const out = parseBrokerLine(line);
    switch (out.kind) {
      case 'status':
        this.status = out.status;
        // Only a master's view of the lock is news; a slave's may be stale.
        if (out.status.lock && out.status.role === 'master') this.emit({ type: 'lock', source: 'broker', lock: out.status.lock, ts: out.status.ts });
        this.emitState(out.status.reason);
        return;
      case 'log':
        this.emit({ type: 'log', broker: this.name, level: out.level, msg: out.msg, fields: out.fields, ts: out.ts });
        return;
      case 'control': {
        const waiter = this.controlWaiters.find((w) => w.cmd === out.cmd);
        if (waiter) {
          if (out.ok) waiter.resolve(out.result);
          else waiter.reject(new LabApiError('conflict', `${this.name}: ${out.error ?? `${out.cmd} refused`}`));
          return;
        }
        if (!out.ok) this.emit({ type: 'log', broker: this.name, level: 'error', msg: `control command refused: ${out.error ?? ''}`, fields: {} });
        return;
      }
      case 'unparsed':
        this.emit({ type: 'log', broker: this.name, level: 'info', msg: out.text, fields: { unparsed: true } });
    }
  }

  private onStderr(text: string): void {
    this.stderrTail = (this.stderrTail + text).slice(-4000);
    for (const line of text.split('\n').filter((l) => l.trim())) {
      this.emit({ type: 'log', broker: this.name, level: 'error', msg: line, fields: { stream: 'stderr' } });
    }
  }

  private onProcessExit(proc: LaunchedProcess, exit: ProcessExit): void {
    if (this.process !== proc) return;
    this.process = null;
    this.paused = false;
    this.exit = exit;
    for (const waiter of [...this.controlWaiters]) waiter.reject(new LabApiError('conflict', `${this.name} exited before answering ${waiter.cmd}`));
    this.emitState(undefined, exit);
    for (const listener of this.exitListeners) listener(exit, this.stopRequested);
  }

  private emitState(reason?: string, exit?: ProcessExit): void {
    const view = this.view();
    this.emit({
      type: 'broker-state',
      broker: this.name,
      role: view.role,
      pid: view.pid,
      connectors: view.connectors,
      lock: view.role === 'master' ? view.lock : null,
      ...(exit ? { exitCode: exit.code, signal: exit.signal } : {}),
      ...(reason ? { reason } : {}),
    });
  }
}
