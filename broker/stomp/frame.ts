/** STOMP frames and the limits the codec enforces (STOMP 1.0/1.1/1.2 as ActiveMQ speaks them). */
import { DEFAULT_CONNECTOR_SETTINGS, type WireFormatLimits } from '../config/connector-options.js';

export type StompVersion = '1.0' | '1.1' | '1.2';

/** Highest first: ActiveMQ picks the highest common version (`StompCodec.detectVersion`). */
export const SUPPORTED_VERSIONS: readonly StompVersion[] = ['1.2', '1.1', '1.0'];

export interface StompFrame {
  command: string;
  /** Header order as received; a repeated header keeps its first value [STOMP-1.2 repeated header entries]. */
  headers: Map<string, string>;
  body: Buffer;
}

/** A frame to write: headers as pairs so the hot path builds no Map. */
export interface OutgoingFrame {
  command: string;
  headers: ReadonlyArray<readonly [string, string]>;
  body?: Buffer;
}

/** Names follow ActiveMQ's `StompWireFormat` and `wireFormat.*` URI options (broker/config/connector-options.ts). */
export type StompLimits = WireFormatLimits;

export const DEFAULT_LIMITS: Readonly<StompLimits> = DEFAULT_CONNECTOR_SETTINGS.wireFormat;

export const CLIENT_COMMANDS = new Set([
  'CONNECT',
  'STOMP',
  'SEND',
  'SUBSCRIBE',
  'UNSUBSCRIBE',
  'ACK',
  'NACK',
  'BEGIN',
  'COMMIT',
  'ABORT',
  'DISCONNECT',
]);
