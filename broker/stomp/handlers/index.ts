import type { StompConnection } from '../connection.js';
import type { StompFrame } from '../frame.js';
import { onAbort } from './abort.js';
import { onAck } from './ack.js';
import { onBegin } from './begin.js';
import { onCommit } from './commit.js';
import { onConnect } from './connect.js';
import { onDisconnect } from './disconnect.js';
import { onNack } from './nack.js';
import { onSend } from './send.js';
import { onSubscribe } from './subscribe.js';
import { onUnsubscribe } from './unsubscribe.js';

/**
 * What a handler returns: its effects (RECEIPT, dispatch) as a function, or a promise of them when
 * it first waits for the store. The connection applies them in frame order. Validation errors are
 * thrown synchronously as `ProtocolError`.
 */
export type Step = (() => void) | Promise<() => void>;

export type Handler = (connection: StompConnection, frame: StompFrame) => Step;

export const handlers: Readonly<Record<string, Handler>> = {
  CONNECT: onConnect,
  STOMP: onConnect,
  SEND: onSend,
  SUBSCRIBE: onSubscribe,
  UNSUBSCRIBE: onUnsubscribe,
  ACK: onAck,
  NACK: onNack,
  BEGIN: onBegin,
  COMMIT: onCommit,
  ABORT: onAbort,
  DISCONNECT: onDisconnect,
};
