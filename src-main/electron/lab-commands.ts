import type { LabCommand } from '../api/lab-api.js';

/**
 * Every LabApi command, as plain data the sandboxed preload can bundle (no zod). The type below
 * fails to compile when lab-api.ts gains a command this list lacks; a unit test checks the order-free
 * equality at run time.
 */
export const LAB_COMMAND_NAMES = [
  'cluster/create',
  'cluster/start',
  'cluster/stop',
  'cluster/destroy',
  'cluster/status',
  'cluster/supervise',
  'cluster/events',
  'cluster/add-broker',
  'broker/start',
  'broker/stop',
  'broker/kill',
  'broker/pause',
  'broker/resume',
  'broker/restart',
  'fault/cut-link',
  'fault/heal-link',
  'fault/latency',
  'fault/db-restart',
  'fault/clock-offset',
  'fault/db-failure',
  'store/inspect',
  'store/save',
  'store/browse',
  'store/send',
  'store/purge',
  'store/subscriptions',
  'config/validate',
  'scenario/list',
  'scenario/run',
  'scenario/runs',
  'scenario/report-html',
] as const satisfies readonly LabCommand[];

type Missing = Exclude<LabCommand, (typeof LAB_COMMAND_NAMES)[number]>;
/** Compiles only while no command is missing from the list. */
export const EVERY_COMMAND_LISTED: [Missing] extends [never] ? true : Missing = true;

export const IPC_EVENT_CHANNEL = 'lab:event';

/** The IPC channel of one command: one channel per command, never a generic one. */
export function channelOf(command: LabCommand): string {
  return `lab:${command}`;
}
