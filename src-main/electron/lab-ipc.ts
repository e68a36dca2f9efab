import { ipcMain } from 'electron';
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { LAB_COMMAND_NAMES } from '../api/contract/index.js';
import type { LabApi, LabEvent, LabResponse } from '../api/contract/index.js';
import type { LabRunner, parsePayload } from '../api/lab-schemas.js';
import { IPC_EVENT_CHANNEL, channelOf } from './lab-commands.js';

export interface LabIpcOptions {
  /** The lab host, called past validation: the payload was checked here, once. */
  lab: LabRunner;
  /** lab-schemas.ts's `parsePayload`, loaded with the lab host (it brings zod). */
  parse: typeof parsePayload;
  /** Only the app's own page may call (the renderer's file:// or dev-server URL). */
  isTrustedSender(url: string): boolean;
}

type ErrorLike = { reason?: unknown; message?: unknown };

function refusal(error: unknown): LabResponse {
  const e = error as ErrorLike;
  return { ok: false, error: { code: typeof e.reason === 'string' ? e.reason : 'failed', message: String(e.message ?? error) } };
}

/**
 * One IPC handler per LabApi command. A payload that fails its schema, or a call from a frame that is
 * not the app's, is answered with `{ ok: false }` and never reaches the lab host.
 */
export function registerLabIpc(options: LabIpcOptions): () => void {
  for (const command of LAB_COMMAND_NAMES) {
    ipcMain.handle(channelOf(command), async (event: IpcMainInvokeEvent, payload: unknown): Promise<LabResponse> => {
      const url = event.senderFrame?.url ?? '';
      if (!options.isTrustedSender(url)) return { ok: false, error: { code: 'forbidden', message: `${command}: refused for ${url || 'an unknown frame'}` } };
      let parsed;
      try {
        parsed = options.parse(command, payload);
      } catch (error) {
        return refusal(error);
      }
      try {
        return { ok: true, result: await options.lab.run(command, parsed) };
      } catch (error) {
        return refusal(error);
      }
    });
  }
  return () => {
    for (const command of LAB_COMMAND_NAMES) ipcMain.removeHandler(channelOf(command));
  };
}

/** Pushes every lab event to the window; returns the unsubscribe function. */
export function forwardLabEvents(api: Pick<LabApi, 'subscribe'>, contents: WebContents): () => void {
  return api.subscribe((event: LabEvent) => {
    if (!contents.isDestroyed()) contents.send(IPC_EVENT_CHANNEL, event);
  });
}
