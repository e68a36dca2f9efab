/** The store's public surface: the port, its two implementations and the factory. */
export type * from './persistence-adapter.js';
export { createPersistenceAdapter, type CreatePersistenceAdapterOptions } from './create-persistence-adapter.js';
export { decodeMessage, encodeMessage, type EncodedMessageInput } from './message-codec.js';
export {
  PostgresPersistenceAdapter,
  createPostgresPersistenceAdapter,
  type PostgresPersistenceAdapterOptions,
} from './postgres/postgres-persistence-adapter.js';
export {
  SqlitePersistenceAdapter,
  createSqlitePersistenceAdapter,
  type SqlitePersistenceAdapterOptions,
} from './sqlite/sqlite-persistence-adapter.js';
