import pg from 'pg';
import { LabApiError } from '../api/lab-errors.js';
import type { PgBackend } from './pg-store-host.js';
import type { PgInspectorTarget } from './pg-store-inspector.js';

export const POSTGRES_LIMITS = [
  'The cluster lives in its own schema of your database; the lab keeps it when it closes (drop it yourself when done).',
  'fault/db-restart terminates the cluster\'s sessions (pg_terminate_backend) instead of restarting your server: other databases on it are not touched.',
  'Finding the cluster\'s sessions relies on their application_name (PGAPPNAME) and on the locks they hold in the cluster\'s schema.',
] as const;

/** The application_name prefix of a cluster's broker connections (PGAPPNAME), to find its sessions. */
export function applicationNamePrefix(clusterId: string): string {
  return `failover-lab/${clusterId}/`;
}

/** Sessions of this database that belong to the cluster: tagged by application_name or holding locks in its schema. */
const TERMINATE_SQL = `
  SELECT pid, pg_terminate_backend(pid) AS terminated
    FROM pg_stat_activity
   WHERE datname = current_database()
     AND pid <> pg_backend_pid()
     AND (starts_with(application_name, $1)
          OR pid IN (SELECT l.pid FROM pg_locks l
                       JOIN pg_class c ON c.oid = l.relation
                       JOIN pg_namespace n ON n.oid = c.relnamespace
                      WHERE n.nspname = $2))`;

/** An external PostgreSQL given by URL; the cluster gets schema `fl_<clusterId>`. */
export class PostgresBackend implements PgBackend {
  readonly kind = 'postgres';
  readonly limits = POSTGRES_LIMITS;
  private readonly url: URL;
  private readonly schema: string;

  constructor(
    url: string,
    private readonly clusterId: string,
  ) {
    try {
      this.url = new URL(url);
    } catch {
      throw new LabApiError('bad-request', `"${url}" is not a postgres:// URL`);
    }
    this.schema = `fl_${clusterId.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}`;
  }

  get location(): string {
    const shown = new URL(this.url.href);
    shown.password = '';
    return `${shown.href} (schema ${this.schema})`;
  }

  target(): PgInspectorTarget {
    return {
      host: this.url.hostname || '127.0.0.1',
      port: Number(this.url.port || 5432),
      database: decodeURIComponent(this.url.pathname.slice(1)) || decodeURIComponent(this.url.username),
      user: decodeURIComponent(this.url.username),
      password: decodeURIComponent(this.url.password),
      schema: this.schema,
    };
  }

  async start(): Promise<void> {
    await this.withClient(async (client) => {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${pg.escapeIdentifier(this.schema)}`);
    });
  }

  envFor(name: string): Record<string, string> {
    return { PGAPPNAME: `${applicationNamePrefix(this.clusterId)}${name}` };
  }

  async restart(): Promise<string> {
    return this.withClient(async (client) => {
      const result = await client.query<{ pid: number; terminated: boolean }>(TERMINATE_SQL, [applicationNamePrefix(this.clusterId), this.schema]);
      const pids = result.rows.filter((r) => r.terminated).map((r) => r.pid);
      return `terminated ${pids.length} PostgreSQL session(s) of the cluster (pg_terminate_backend${pids.length ? `: ${pids.join(', ')}` : ''})`;
    });
  }

  save(): Promise<void> {
    return Promise.reject(new LabApiError('unsupported', `a PostgreSQL store keeps its data in the server (${this.location}); nothing to save`));
  }

  async stop(): Promise<void> {}

  /** Drops the cluster's schema: for tests and `cluster/destroy { dropData: true }`. */
  async dropSchema(): Promise<void> {
    await this.withClient((client) => client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(this.schema)} CASCADE`));
  }

  private async withClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
    const t = this.target();
    const client = new pg.Client({ host: t.host, port: t.port, database: t.database, user: t.user, password: t.password, application_name: 'failover-lab host', connectionTimeoutMillis: 5000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return await work(client);
    } catch (error) {
      if (error instanceof LabApiError) throw error;
      throw new LabApiError('failed', `PostgreSQL at ${this.location}: ${(error as Error).message}`, { cause: error });
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
