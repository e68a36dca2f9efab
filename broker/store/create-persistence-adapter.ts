import type { StoreTarget } from '../config/broker-config.js';
import type { Logger } from '../util/log.js';
import type { Durability, PersistenceAdapter } from './persistence-adapter.js';

export interface CreatePersistenceAdapterOptions {
  /** SQLite `synchronous`; PostgreSQL always commits durably. */
  durability: Durability;
  /** `createTablesOnStartup`. */
  createTables: boolean;
  logger: Logger;
  /** PostgreSQL only: how long to wait for a connection. */
  connectTimeoutMs?: number;
}

/**
 * Chooses the store the config's data source maps to (docs/config.md, Data sources). Not started yet.
 * The implementation loads on demand: a broker on SQLite never loads `pg`, and the other way round.
 */
export async function createPersistenceAdapter(target: StoreTarget, opts: CreatePersistenceAdapterOptions): Promise<PersistenceAdapter> {
  switch (target.kind) {
    case 'sqlite': {
      const { createSqlitePersistenceAdapter } = await import('./sqlite/sqlite-persistence-adapter.js');
      return createSqlitePersistenceAdapter({
        file: target.file,
        durability: opts.durability,
        createTables: opts.createTables,
        logger: opts.logger,
      });
    }
    case 'postgres': {
      const { createPostgresPersistenceAdapter } = await import('./postgres/postgres-persistence-adapter.js');
      return createPostgresPersistenceAdapter({
        host: target.host,
        port: target.port,
        database: target.database,
        user: target.user,
        password: target.password,
        schema: target.schema,
        createTables: opts.createTables,
        logger: opts.logger,
        ...(opts.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: opts.connectTimeoutMs }),
      });
    }
  }
}
