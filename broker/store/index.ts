/**
 * The store's public surface: the port, the factory, the memory store and the message encoding.
 * The SQLite and PostgreSQL adapters are types here: `createPersistenceAdapter` loads the one the
 * config names on demand, which a value export from this file would defeat.
 */
export type * from './persistence-adapter.js';
export { createPersistenceAdapter, type CreatePersistenceAdapterOptions } from './create-persistence-adapter.js';
export { MemoryPersistenceAdapter } from './memory/memory-persistence-adapter.js';
export { decodeMessage, encodeMessage, type EncodedMessageInput } from './message-codec.js';
export type { PostgresPersistenceAdapter, PostgresPersistenceAdapterOptions } from './postgres/postgres-persistence-adapter.js';
export type { SqlitePersistenceAdapter, SqlitePersistenceAdapterOptions } from './sqlite/sqlite-persistence-adapter.js';
