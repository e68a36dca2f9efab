import type { LabCommand, LabEvent, LabPayload, LabResponse, LabResult } from '../../../src-main/api/contract/index.js';
import { unwrap } from './lab-client.js';
import type { LabBridge, LabClient } from './lab-client.js';

/**
 * Electron: each command goes through its own function on the preload's frozen `lab` object; main
 * validates the payload with the command's zod schema. Events arrive pushed; the backlog after
 * `afterSeq` is read once with `cluster/events`.
 */
export function createIpcClient(bridge: LabBridge): LabClient {
  async function call<C extends LabCommand>(command: C, payload?: LabPayload<C>): Promise<LabResult<C>> {
    // The mapped type cannot be indexed generically; each key holds exactly this signature.
    const send = bridge[command] as unknown as (p: LabPayload<C>) => Promise<LabResponse<C>>;
    return unwrap(command, await send((payload ?? {}) as LabPayload<C>));
  }

  function subscribe(afterSeq: number, listener: (event: LabEvent) => void, onConnection?: (connected: boolean) => void): () => void {
    let lastSeq = afterSeq;
    const deliver = (event: LabEvent) => {
      if (event.seq <= lastSeq) return;
      lastSeq = event.seq;
      listener(event);
    };
    const pending: LabEvent[] = [];
    let replayed = false;
    const unsubscribe = bridge.onEvent((event) => (replayed ? deliver(event) : pending.push(event)));
    void call('cluster/events', { afterSeq })
      .then((r) => r.events.forEach(deliver))
      .catch(() => undefined)
      .finally(() => {
        replayed = true;
        pending.splice(0).forEach(deliver);
        onConnection?.(true);
      });
    return unsubscribe;
  }

  return { shell: 'electron', call, subscribe };
}
