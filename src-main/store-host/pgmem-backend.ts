import { LabApiError } from '../api/lab-errors.js';
import type { PgBackend } from './pg-store-host.js';
import type { PgInspectorTarget } from './pg-store-inspector.js';
import { startPgMemServer } from './pgmem/index.js';
import type { PgMemServer } from './pgmem/index.js';

export const PGMEM_LIMITS = [
  'pg-mem has no row locks across sessions: the database-locker\'s FOR UPDATE is emulated by the lab\'s wire glue (a session-scoped lock released when that session\'s socket closes).',
  'pg-mem lives in the lab host\'s memory: closing the lab loses it unless you save it (--save-pgmem FILE).',
  'pg-mem has no idle_in_transaction_session_timeout or clock_timestamp(): the glue emulates both (the timeout frees a paused master\'s lock; the clock has millisecond precision).',
  'fault/db-restart drops every session pg-mem serves; the data stays (an in-memory database cannot crash).',
] as const;

/** pg-mem in the lab host, served over the PostgreSQL wire protocol on 127.0.0.1. */
export class PgMemBackend implements PgBackend {
  readonly kind = 'pgmem';
  readonly limits = PGMEM_LIMITS;
  private server: PgMemServer | null = null;

  get location(): string {
    return this.server ? `pg-mem at ${this.server.url}` : 'pg-mem (not started)';
  }

  target(): PgInspectorTarget {
    if (!this.server) throw new LabApiError('failed', 'the pg-mem server is not running');
    const url = new URL(this.server.url);
    return {
      host: url.hostname || this.server.host,
      port: Number(url.port || this.server.port),
      database: decodeURIComponent(url.pathname.slice(1)) || 'postgres',
      user: decodeURIComponent(url.username) || 'postgres',
      password: decodeURIComponent(url.password),
      schema: 'public',
    };
  }

  async start(): Promise<void> {
    this.server ??= await startPgMemServer({ host: '127.0.0.1', port: 0 });
  }

  envFor(): Record<string, string> {
    return {};
  }

  async restart(): Promise<string> {
    const server = this.running();
    const dropped = server.dropAllSessions();
    return `dropped all ${dropped} pg-mem session(s) (FATAL 57P01, as a restarting server does); the data stays in memory`;
  }

  async save(file: string): Promise<void> {
    await this.running().save(file);
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    await server?.stop();
  }

  private running(): PgMemServer {
    if (!this.server) throw new LabApiError('failed', 'the pg-mem server is not running');
    return this.server;
  }
}
