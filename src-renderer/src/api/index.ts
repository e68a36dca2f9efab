import { createHttpClient, tokenFromLocation } from './http-transport.js';
import { createIpcClient } from './ipc-transport.js';
import type { LabBridge, LabClient } from './lab-client.js';

export { LabCallError } from './lab-client.js';
export type { LabClient, LabBridge } from './lab-client.js';

/** Electron when the preload put its bridge on `window.lab`, else web mode with the URL's token. */
export function createLabClient(win: Window & { lab?: LabBridge }): LabClient | { error: string } {
  if (win.lab?.shell === 'electron') return createIpcClient(win.lab);
  const token = tokenFromLocation(win.location.search);
  if (!token) return { error: 'This page needs the URL failover-lab up printed: it carries the access token (?token=...).' };
  return createHttpClient({ base: win.location.origin, token });
}
