import { ipcMain } from 'electron';
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import type { ZodType } from 'zod';
import type { LabApi, LabCommand, LabEvent, LabResponse } from '../api/lab-api.js';
import { IPC_EVENT_CHANNEL, LAB_COMMAND_NAMES, channelOf } from './lab-commands.js';

export interface LabIpcOptions {
  api: LabApi;
  /** LabApi's zod schemas (`LabCommandSchemas`): every payload is checked here, at the boundary. */
  schemas: Readonly<Record<LabCommand, ZodType>>;
  /** Only the app's own page may call (the renderer's file:// or dev-server URL). */
  isTrustedSender(url: string): boolean;
}

type ErrorLike = { reason?: unknown; code?: unknown; message?: unknown };

/**
 * One IPC handler per LabApi command. A payload that fails its schema, or a call from a frame that is
 * not the app's, is answered with `{ ok: false }` and never reaches the lab host.
 */
export function registerLabIpc(options: LabIpcOptions): () => void {
  for (const command of LAB_COMMAND_NAMES) {
    ipcMain.handle(channelOf(command), async (event: IpcMainInvokeEvent, payload: unknown): Promise<LabResponse> => {
      const url = event.senderFrame?.url ?? '';
      if (!options.isTrustedSender(url)) return { ok: false, error: { code: 'forbidden', message: `${command}: refused for ${url || 'an unknown frame'}` } };
      const parsed = options.schemas[command].safeParse(payload ?? {});
      if (!parsed.success) {
        const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; ');
        return { ok: false, error: { code: 'bad-request', message: `${command}: ${detail}` } };
      }
      try {
        return { ok: true, result: await options.api.invoke(command, parsed.data as never) };
      } catch (error) {
        const e = error as ErrorLike;
        return { ok: false, error: { code: typeof e.reason === 'string' ? e.reason : 'failed', message: String(e.message ?? error) } };
      }
    });
  }
  return () => {
    for (const command of LAB_COMMAND_NAMES) ipcMain.removeHandler(channelOf(command));
  };
}

/** Pushes every lab event to the window; returns the unsubscribe function. */
export function forwardLabEvents(api: LabApi, contents: WebContents): () => void {
  return api.subscribe((event: LabEvent) => {
    if (!contents.isDestroyed()) contents.send(IPC_EVENT_CHANNEL, event);
  });
}
