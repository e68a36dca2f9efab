import type { LabCommand } from '../api/contract/index.js';

export const IPC_EVENT_CHANNEL = 'lab:event';

/** The IPC channel of one command: one channel per command, never a generic one. */
export function channelOf(command: LabCommand): string {
  return `lab:${command}`;
}
