import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import type { LabEvent } from '../api/contract/index.js';
import { LAB_COMMAND_NAMES } from '../api/contract/index.js';
import { IPC_EVENT_CHANNEL, channelOf } from './lab-commands.js';

/**
 * The one frozen object on the bridge (docs/app.md): a function per LabApi command, generated from
 * the command list, each on its own channel that main validates; never a generic invoke(channel, ...).
 */
export function buildLabBridge(): Readonly<Record<string, unknown>> {
  const bridge: Record<string, unknown> = { shell: 'electron' };
  for (const command of LAB_COMMAND_NAMES) bridge[command] = (payload: unknown) => ipcRenderer.invoke(channelOf(command), payload);
  bridge['onEvent'] = (listener: (event: LabEvent) => void) => {
    const forward = (_event: IpcRendererEvent, labEvent: LabEvent) => listener(labEvent);
    ipcRenderer.on(IPC_EVENT_CHANNEL, forward);
    return () => void ipcRenderer.removeListener(IPC_EVENT_CHANNEL, forward);
  };
  return Object.freeze(bridge);
}

contextBridge.exposeInMainWorld('lab', buildLabBridge());
