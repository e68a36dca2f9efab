/** STOMP frames and the limits the codec enforces (STOMP 1.0/1.1/1.2 as ActiveMQ speaks them). */

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

/** Names follow ActiveMQ's `StompWireFormat` and `wireFormat.*` URI options. */
export interface StompLimits {
  /** `wireFormat.maxFrameSize`: ActiveMQ's default is Long.MAX_VALUE (no limit of its own). */
  maxFrameSize: number;
  /** `wireFormat.maxDataLength`: body bytes, ActiveMQ default 100 MiB. */
  maxDataLength: number;
  /** ActiveMQ `MAX_HEADERS`. */
  maxHeaders: number;
  /** ActiveMQ `MAX_HEADER_LENGTH`: bytes of one header line. */
  maxHeaderLength: number;
  /** ActiveMQ `MAX_COMMAND_LENGTH`. */
  maxCommandLength: number;
}

export const DEFAULT_LIMITS: Readonly<StompLimits> = Object.freeze({
  maxFrameSize: Number.MAX_SAFE_INTEGER,
  maxDataLength: 100 * 1024 * 1024,
  maxHeaders: 1000,
  maxHeaderLength: 10 * 1024,
  maxCommandLength: 1024,
});

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
