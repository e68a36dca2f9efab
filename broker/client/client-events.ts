/** What a failover client reports, each with `ts` (epoch ms on the client's clock). */
export type ClientEvent =
  | { type: 'connected'; ts: number; uri: string }
  | { type: 'interrupted'; ts: number; uri: string; reason: string }
  /** Connected again after an interruption; `downMs` since `interrupted`. */
  | { type: 'resumed'; ts: number; uri: string; downMs: number }
  /** One failed attempt on one broker (a slave's closed port, a refused CONNECT). */
  | { type: 'connect-failed'; ts: number; uri: string; reason: string }
  /** `maxReconnectAttempts` (or `startupMaxReconnectAttempts`) passes failed: the client gave up. */
  | { type: 'exhausted'; ts: number; attempts: number; reason: string };

export type ClientEventListener = (event: ClientEvent) => void;
