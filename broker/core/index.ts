/**
 * What every protocol's connections share (docs/design.md): the store gate and destinations of one
 * broker (BrokerCore), storing and publishing a message, durable subscription claims.
 */
export { BrokerCore } from './broker-core.js';
export type { BrokerCoreOptions } from './broker-core.js';
export { needsStore, publish, storeAndPublish } from './publish.js';
export { claimDurable, durableNameOf, removeDurable } from './durable.js';
export type { DurableClaim } from './durable.js';
