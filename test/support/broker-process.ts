import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root, whether this file runs from test/support or compiled into dist/ (benchmarks). */
const ROOT = new URL(import.meta.url.includes('/dist/test/') ? '../../../' : '../../', import.meta.url);

/** The bundled broker program, as the lab runs it (`npm test` builds dist/ first). */
export const BROKER_MAIN = fileURLToPath(new URL('dist/broker/bundle/broker.cjs', ROOT));

export interface StatusLine {
  type: 'status';
  ts: number;
  broker: string;
  pid: number;
  state: 'starting' | 'waiting-for-lock' | 'master' | 'stopping' | 'stopped';
  role: string;
  lock: { holder: string | null; epoch: number; leaseExpiresAt: number | null } | null;
  connectors: Array<{ name: string; uri: string; boundUri: string; port: number }>;
  exitCode?: number;
}

/** A real broker child process, with its JSON lines parsed as they arrive. */
export class BrokerProcess {
  readonly lines: Array<Record<string, unknown>> = [];
  readonly statuses: StatusLine[] = [];
  stderr = '';
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;
  private waiters: Array<() => void> = [];

  constructor(
    readonly name: string,
    readonly port: number,
    args: string[],
    cwd: string,
  ) {
    this.child = spawn(process.execPath, [BROKER_MAIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    this.exit = once(this.child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
    let buffered = '';
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      let nl;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const text = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (!text.trim()) continue;
        const line = JSON.parse(text) as Record<string, unknown>;
        this.lines.push(line);
        if (line.type === 'status') this.statuses.push(line as unknown as StatusLine);
      }
      this.notify();
    });
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
      this.notify();
    });
    void this.exit.then(() => this.notify());
  }

  get pid(): number {
    return this.child.pid!;
  }

  get state(): StatusLine['state'] | undefined {
    return this.statuses.at(-1)?.state;
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Resolves when `predicate` holds (checked on every output line), rejects after `timeoutMs`. */
  async waitFor(predicate: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.name}: timed out waiting for ${what}; last status ${JSON.stringify(this.statuses.at(-1))}; stderr: ${this.stderr.slice(-2000)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  waitForState(state: StatusLine['state'], timeoutMs?: number): Promise<void> {
    return this.waitFor(() => this.statuses.some((s) => s.state === state), `state ${state}`, timeoutMs);
  }

  hasLog(msg: RegExp): boolean {
    return this.lines.some((l) => l.type === 'log' && typeof l.msg === 'string' && msg.test(l.msg));
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    this.child.kill('SIGCONT');
    this.child.kill('SIGKILL');
    await this.exit;
  }
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `failover-lab-${prefix}-`));
}

export function writeFile(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
