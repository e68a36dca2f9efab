import type pg from 'pg';
import { loadPg } from '../util/cjs.js';
import type { StoreTarget } from '../config/broker-config.js';
import type { Logger } from '../util/log.js';
import { POSTGRES_LOCK_TABLE_DDL } from './lock-table.js';

export type PostgresTarget = Extract<StoreTarget, { kind: 'postgres' }>;

/** Database time in epoch ms, computed by the server (docs/design.md, Lock and fencing invariants 7). */
export const CLOCK_TIMESTAMP_MS_SQL = '(extract(epoch from clock_timestamp()) * 1000)::bigint';

const CONNECT_TIMEOUT_MS = 5000;
const CLOSE_TIMEOUT_MS = 1000;
const UNIQUE_VIOLATION = '23505';
const DUPLICATE_OBJECT = ['42P06', '42P07', '42710'];
const SERIALIZATION_FAILURE = '40001';

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The SQLSTATE of an error the server sent; undefined for client-side and network errors. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** pg's client-side `query_timeout` fired: the connection may still be alive, the outcome is unknown. */
export function isQueryTimeout(error: unknown): boolean {
  return error instanceof Error && error.message === 'Query read timeout';
}

/**
 * One PostgreSQL connection owned by a locker, with `search_path` set to the configured schema.
 * `ended` turns true as soon as the connection is gone, whoever closed it.
 */
export class PgSession {
  private ended = false;

  private constructor(private readonly client: pg.Client) {
    client.on('end', () => {
      this.ended = true;
    });
  }

  static async open(target: PostgresTarget, logger: Logger, role: string): Promise<PgSession> {
    const client = new (loadPg().Client)({
      host: target.host,
      port: target.port,
      database: target.database,
      user: target.user,
      password: target.password,
      // The lab finds a cluster's sessions by PGAPPNAME (its db-restart fault terminates them).
      application_name: `${process.env['PGAPPNAME'] ?? 'failover-lab'} ${role}`,
      // A dead link must fail the attempt, not hang it: the keeper's deadline needs answers.
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      keepAlive: true,
    });
    // Without a listener a dropped connection would crash the broker; the next query reports it.
    client.on('error', (error) => logger.log('warn', 'lock database connection failed', { role, error: String(error) }));
    const session = new PgSession(client);
    try {
      await client.connect();
      await retryCreateRace(() => client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(target.schema)}`));
      await client.query(`SET search_path TO ${quoteIdent(target.schema)}`);
      return session;
    } catch (error) {
      await session.close();
      throw error;
    }
  }

  get isOpen(): boolean {
    return !this.ended;
  }

  async query<R extends pg.QueryResultRow>(text: string, values: unknown[] = [], timeoutMs?: number): Promise<pg.QueryResult<R>> {
    return this.client.query<R>({ text, values, ...(timeoutMs === undefined ? {} : { query_timeout: timeoutMs }) });
  }

  /**
   * Closes the connection; a query still waiting (a blocked FOR UPDATE) rejects. On a dead link the
   * polite close never completes, so the socket is destroyed after `CLOSE_TIMEOUT_MS`. Idempotent.
   */
  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), CLOSE_TIMEOUT_MS);
    });
    const closed = this.client.end().then(
      () => 'closed' as const,
      // The connection was already broken: nothing is left to close.
      () => 'closed' as const,
    );
    const outcome = await Promise.race([closed, timedOut]);
    clearTimeout(timer);
    // pg has no public destroy(); its socket is `connection.stream`.
    if (outcome === 'timeout') (this.client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
  }
}

/** `ACTIVEMQ_LOCK` with rows 1 and 2, tolerating other brokers creating it at the same moment. */
export async function createLockTable(session: PgSession): Promise<void> {
  for (const sql of POSTGRES_LOCK_TABLE_DDL) await retryCreateRace(() => session.query(sql));
}

/**
 * Concurrent `CREATE ... IF NOT EXISTS` from several processes can fail with a unique violation on
 * the catalog (or a serialization failure on pg-mem): the object then exists, or the retry makes it.
 */
async function retryCreateRace(run: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await run();
      return;
    } catch (error) {
      const state = sqlState(error);
      const raced = state === UNIQUE_VIOLATION || state === SERIALIZATION_FAILURE || DUPLICATE_OBJECT.includes(state ?? '');
      if (!raced || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt));
    }
  }
}
