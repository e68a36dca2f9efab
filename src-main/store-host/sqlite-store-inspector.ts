import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createLineSplitter } from '../util/index.js';
import type { HelperRuntime } from './lock-store-host.js';
import type { DurableSubscriptionRow, StoreInspector, StoreSnapshot } from './store-inspector.js';

export function defaultHelperScript(): string {
  const compiled = import.meta.url.includes('/dist/src-main/');
  return fileURLToPath(new URL(compiled ? './sqlite-inspector-helper.js' : '../../dist/src-main/store-host/sqlite-inspector-helper.js', import.meta.url));
}

type Reply = { id: number; ok: true; snapshot?: StoreSnapshot; subscriptions?: DurableSubscriptionRow[] } | { id: number; ok: false; error: string };

export interface SqliteInspectorOptions extends HelperRuntime {
  helperScript?: string;
}

/**
 * Reads the cluster's SQLite file through `sqlite-inspector-helper` in a child process, so the same
 * code works in the CLI, web mode and Electron's main process (where better-sqlite3 cannot load).
 * The helper starts on first use and is restarted if it dies.
 */
export class SqliteStoreInspector implements StoreInspector {
  private child: ChildProcessWithoutNullStreams | null = null;
  private readonly pending = new Map<number, { resolve(reply: Reply & { ok: true }): void; reject(e: Error): void }>();
  private nextId = 1;

  constructor(
    private readonly file: string,
    private readonly options: SqliteInspectorOptions = {},
  ) {}

  async inspect(): Promise<StoreSnapshot> {
    if (!existsSync(this.file)) return { lock: null, queues: [] };
    return (await this.ask({})).snapshot ?? { lock: null, queues: [] };
  }

  async subscriptions(): Promise<DurableSubscriptionRow[]> {
    if (!existsSync(this.file)) return [];
    return (await this.ask({ query: 'subscriptions' })).subscriptions ?? [];
  }

  private ask(fields: Record<string, unknown>): Promise<Reply & { ok: true }> {
    const child = this.helper();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      child.stdin.write(JSON.stringify({ id, file: this.file, ...fields }) + '\n');
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child) return;
    child.stdin.end();
    if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
  }

  private helper(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const script = this.options.helperScript ?? defaultHelperScript();
    const child = spawn(this.options.execPath ?? process.execPath, [script], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...this.options.env } });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr = (stderr + t).slice(-2000)));
    child.stdin.on('error', () => undefined);
    child.stdout.setEncoding('utf8').on(
      'data',
      createLineSplitter((line) => {
        const reply = JSON.parse(line) as Reply;
        const waiter = this.pending.get(reply.id);
        this.pending.delete(reply.id);
        if (reply.ok) waiter?.resolve(reply);
        else waiter?.reject(new Error(`reading ${this.file}: ${reply.error}`));
      }),
    );
    // A wrong execPath fails to spawn: an 'error' event without an exit.
    child.once('error', (error) => {
      if (this.child === child) this.child = null;
      for (const waiter of this.pending.values()) waiter.reject(new Error(`the SQLite reader could not start (${this.options.execPath ?? process.execPath}): ${error.message}`));
      this.pending.clear();
    });
    child.once('exit', () => {
      if (this.child === child) this.child = null;
      for (const waiter of this.pending.values()) waiter.reject(new Error(`the SQLite reader exited: ${stderr.trim() || 'no message'}`));
      this.pending.clear();
    });
    this.child = child;
    return child;
  }
}
