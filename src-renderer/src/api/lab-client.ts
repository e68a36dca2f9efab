import type { LabCommand, LabEvent, LabPayload, LabResponse, LabResult } from '../../../src-main/api/contract/index.js';

export type { LabCommand, LabEvent, LabPayload, LabResult };

/** A LabApi command that failed, as the lab host said it (`code` is LabApi's error code). */
export class LabCallError extends Error {
  constructor(
    readonly command: LabCommand,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'LabCallError';
  }
}

/**
 * The renderer's one view of LabApi, whatever carries it (HTTP + WebSocket in web mode, the preload's
 * frozen `lab` object in Electron). Every command and result type comes from the LabApi contract.
 */
export interface LabClient {
  readonly shell: 'web' | 'electron';
  call<C extends LabCommand>(command: C, payload?: LabPayload<C>): Promise<LabResult<C>>;
  /** Live events after `afterSeq` (the backlog first); returns the unsubscribe function. */
  subscribe(afterSeq: number, listener: (event: LabEvent) => void, onConnection?: (connected: boolean) => void): () => void;
}

/**
 * What the Electron preload exposes as `window.lab`: one function per LabApi command (never a
 * generic invoke), each answering a `LabResponse`, and the event feed.
 */
export type LabBridge = { readonly [C in LabCommand]: (payload: LabPayload<C>) => Promise<LabResponse<C>> } & {
  readonly shell: 'electron';
  onEvent(listener: (event: LabEvent) => void): () => void;
};

/** Unwraps `{ ok, result | error }` or throws a LabCallError. */
export function unwrap<C extends LabCommand>(command: C, response: LabResponse<C>): LabResult<C> {
  if (response.ok) return response.result;
  throw new LabCallError(command, response.error.code, response.error.message);
}
