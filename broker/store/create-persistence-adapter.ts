import type { StoreTarget } from '../config/broker-config.js';
import type { Logger } from '../util/log.js';
import type { Durability, PersistenceAdapter } from './persistence-adapter.js';
import { createPostgresPersistenceAdapter } from './postgres/postgres-persistence-adapter.js';
import { createSqlitePersistenceAdapter } from './sqlite/sqlite-persistence-adapter.js';

export interface CreatePersistenceAdapterOptions {
  /** SQLite `synchronous`; PostgreSQL always commits durably. */
  durability: Durability;
  /** `createTablesOnStartup`. */
  createTables: boolean;
  logger: Logger;
  /** PostgreSQL only: how long to wait for a connection. */
  connectTimeoutMs?: number;
}

/** Chooses the store the config's data source maps to (DESIGN.md, Broker/Config). Not started yet. */
export function createPersistenceAdapter(target: StoreTarget, opts: CreatePersistenceAdapterOptions): PersistenceAdapter {
  switch (target.kind) {
    case 'sqlite':
      return createSqlitePersistenceAdapter({
        file: target.file,
        durability: opts.durability,
        createTables: opts.createTables,
        logger: opts.logger,
      });
    case 'postgres':
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
