import type { DataStructure } from '../codec/marshal.js';
import type { OpenWireConnection } from '../connection.js';
import { onConnectionControl, onConnectionInfo, onKeepAlive, onRemoveInfo, onSessionInfo, onShutdown } from './connection-commands.js';
import { onConsumerControl, onConsumerInfo, onMessagePull, onRemoveSubscription } from './consumer-commands.js';
import { onMessageAck } from './message-ack.js';
import { onDestinationInfo, onMessage, onProducerInfo } from './producer-commands.js';
import { onTransactionInfo } from './transaction-info.js';

/**
 * What a handler returns: its effects (Response, dispatch) as a function, or a promise of them when
 * it first waits for the store; the connection applies them in command order. A refusal is thrown
 * (JmsError) and becomes an ExceptionResponse.
 */
export type Step = (() => void) | Promise<() => void> | Deferred;

/**
 * Work that must not start before every earlier command's effects applied (a durable subscription
 * is claimed or dropped only after the RemoveInfo of its previous consumer), then waits for the store.
 */
export interface Deferred {
  deferred: () => Promise<() => void>;
}

export type Handler = (connection: OpenWireConnection, command: DataStructure) => Step;

const MESSAGE_TYPES = [23, 24, 25, 26, 27, 28];

export const handlers: ReadonlyMap<number, Handler> = new Map<number, Handler>([
  [3, onConnectionInfo],
  [4, onSessionInfo],
  [5, onConsumerInfo],
  [6, onProducerInfo],
  [7, onTransactionInfo],
  [8, onDestinationInfo],
  [9, onRemoveSubscription],
  [10, onKeepAlive],
  [11, onShutdown],
  [12, onRemoveInfo],
  [15, (c, command) => () => c.respond(command)],
  [17, onConsumerControl],
  [18, onConnectionControl],
  [20, onMessagePull],
  [22, onMessageAck],
  ...MESSAGE_TYPES.map((t): [number, Handler] => [t, onMessage]),
]);
