export { FailoverClient } from './failover-client.js';
export type { FailoverClientOptions, Delivery, SubscribeOptions, SendOptions, SendReceipt, ClientTransaction, CommitReceipt } from './failover-client.js';
export type { ClientEvent, ClientEventListener } from './client-events.js';
export { ClientError } from './client-errors.js';
export { parseFailoverUri, DEFAULT_FAILOVER_OPTIONS, DEFAULT_BROKER_URI_OPTIONS } from './failover-uri.js';
export type { FailoverUri, FailoverOptions, BrokerUri, BrokerUriOptions } from './failover-uri.js';
export { ReconnectPolicy } from './reconnect-policy.js';
export { StompConnection } from './stomp-connection.js';
