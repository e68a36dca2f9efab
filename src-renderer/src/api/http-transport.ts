import type { LabCommand, LabEvent, LabPayload, LabResult } from '../../../src-main/api/contract/index.js';
import type { LabResponse } from '../../../src-main/api/contract/index.js';
import { LabCallError, unwrap } from './lab-client.js';
import type { LabClient } from './lab-client.js';

export interface HttpTransportOptions {
  /** `http://127.0.0.1:port`; default: the page's origin. */
  base: string;
  /** The token `failover-lab up` put in the URL it printed. */
  token: string;
  fetch?: typeof fetch;
  WebSocket?: typeof WebSocket;
  /** Delay before the event socket reconnects. */
  reconnectMs?: number;
}

/** The token from the page URL (`?token=...`), or null when the page was opened without one. */
export function tokenFromLocation(search: string): string | null {
  return new URLSearchParams(search).get('token');
}

/**
 * Web mode: commands as `POST /api/<area>/<verb>` (JSON, bearer token), events over the WebSocket
 * `/api/events?token=...&afterSeq=N`, reconnecting after the last seq it saw so nothing is missed.
 */
export function createHttpClient(options: HttpTransportOptions): LabClient {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const Socket = options.WebSocket ?? globalThis.WebSocket;
  const reconnectMs = options.reconnectMs ?? 1000;

  async function call<C extends LabCommand>(command: C, payload?: LabPayload<C>): Promise<LabResult<C>> {
    let response: Response;
    try {
      response = await doFetch(`${options.base}/api/${command}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
        body: JSON.stringify(payload ?? {}),
      });
    } catch (error) {
      throw new LabCallError(command, 'unreachable', `the lab host does not answer (${(error as Error).message}): is failover-lab up still running?`);
    }
    let body: LabResponse<C>;
    try {
      body = (await response.json()) as LabResponse<C>;
    } catch {
      throw new LabCallError(command, 'failed', `${command}: HTTP ${response.status} without a JSON body`);
    }
    return unwrap(command, body);
  }

  function subscribe(afterSeq: number, listener: (event: LabEvent) => void, onConnection?: (connected: boolean) => void): () => void {
    let lastSeq = afterSeq;
    let socket: WebSocket | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let closed = false;
    const wsBase = options.base.replace(/^http/, 'ws');
    const open = () => {
      socket = new Socket(`${wsBase}/api/events?token=${encodeURIComponent(options.token)}&afterSeq=${lastSeq}`);
      socket.onopen = () => onConnection?.(true);
      socket.onmessage = (message: MessageEvent) => {
        const event = JSON.parse(String(message.data)) as LabEvent;
        if (event.seq <= lastSeq) return;
        lastSeq = event.seq;
        listener(event);
      };
      socket.onclose = () => {
        onConnection?.(false);
        if (!closed) timer = setTimeout(open, reconnectMs);
      };
    };
    open();
    return () => {
      closed = true;
      if (timer) clearTimeout(timer);
      socket?.close();
    };
  }

  return { shell: 'web', call, subscribe };
}
