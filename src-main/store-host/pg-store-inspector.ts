import pg from 'pg';
import { SELECT_DEPTHS, SELECT_LOCK_ROW, COUNT_PENDING_PG, SELECT_SUBSCRIPTIONS, toSnapshot, toSubscriptions } from './store-inspector.js';
import type { DurableSubscriptionRow, StoreInspector, StoreSnapshot } from './store-inspector.js';

const UNDEFINED_TABLE = '42P01';

export interface PgInspectorTarget {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  schema: string;
}

/**
 * Reads the lock row and depths over the PostgreSQL protocol (a real server or the lab's pg-mem),
 * on its own direct connection: never through a broker's link proxy, so a cut link does not blind
 * the lab. Reconnects on the next call after any connection failure.
 */
export class PgStoreInspector implements StoreInspector {
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;

  constructor(private readonly target: PgInspectorTarget) {}

  async inspect(): Promise<StoreSnapshot> {
    const client = await this.connect();
    try {
      const lock = await client.query(SELECT_LOCK_ROW);
      const depths = await client.query(SELECT_DEPTHS);
      return toSnapshot(lock.rows, depths.rows);
    } catch (error) {
      if ((error as { code?: string }).code === UNDEFINED_TABLE) return { lock: null, queues: [] };
      await this.drop();
      throw error;
    }
  }

  async subscriptions(): Promise<DurableSubscriptionRow[]> {
    const client = await this.connect();
    try {
      const rows: Array<Record<string, unknown>> = [];
      for (const row of (await client.query(SELECT_SUBSCRIPTIONS)).rows as Array<Record<string, unknown>>) {
        const last = row.last_acked_id ?? row.LAST_ACKED_ID ?? 0;
        const pending = await client.query(COUNT_PENDING_PG, [row.container ?? row.CONTAINER, last]);
        rows.push({ ...row, PENDING: (pending.rows[0] as Record<string, unknown> | undefined)?.pending ?? 0 });
      }
      return toSubscriptions(rows);
    } catch (error) {
      if ((error as { code?: string }).code === UNDEFINED_TABLE) return [];
      await this.drop();
      throw error;
    }
  }

  async stop(): Promise<void> {
    await this.drop();
  }

  private async connect(): Promise<pg.Client> {
    if (this.client) return this.client;
    this.connecting ??= (async () => {
      const t = this.target;
      const client = new pg.Client({ host: t.host, port: t.port, database: t.database, user: t.user, password: t.password, application_name: 'failover-lab inspector', connectionTimeoutMillis: 3000 });
      client.on('error', () => void this.drop());
      try {
        await client.connect();
        await client.query(`SET search_path TO ${pg.escapeIdentifier(t.schema)}`);
      } catch (error) {
        client.end().catch(() => undefined);
        throw error;
      }
      this.client = client;
      return client;
    })().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async drop(): Promise<void> {
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}
