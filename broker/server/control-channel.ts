import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/**
 * The lab's control channel into a broker it spawned: JSON lines on stdin (`--control stdin`).
 * Every line is validated; a bad one is answered with an error line and changes nothing. Checked by
 * hand rather than with a schema library: four shapes do not justify its memory in every broker.
 */
export type ControlCommand =
  | { cmd: 'status' }
  | { cmd: 'stop' }
  | { cmd: 'simulate-db-failure'; failing: boolean }
  | { cmd: 'set-clock-offset'; offsetMs: number };

export interface ControlReply {
  type: 'control';
  ok: boolean;
  cmd?: string;
  error?: string;
}

/** The command, or an error text saying what is wrong with it. */
export function parseControlCommand(json: unknown): ControlCommand | string {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return 'a command is a JSON object';
  const fields = json as Record<string, unknown>;
  const only = (...names: string[]) => Object.keys(fields).every((k) => k === 'cmd' || names.includes(k));
  switch (fields.cmd) {
    case 'status':
    case 'stop':
      return only() ? { cmd: fields.cmd } : `${fields.cmd} takes no fields`;
    case 'simulate-db-failure':
      if (typeof fields.failing !== 'boolean' || !only('failing')) return 'simulate-db-failure takes {"failing": true|false}';
      return { cmd: 'simulate-db-failure', failing: fields.failing };
    case 'set-clock-offset':
      if (typeof fields.offsetMs !== 'number' || !Number.isFinite(fields.offsetMs) || !only('offsetMs')) {
        return 'set-clock-offset takes {"offsetMs": <finite number>}';
      }
      return { cmd: 'set-clock-offset', offsetMs: fields.offsetMs };
    default:
      return `unknown command ${JSON.stringify(fields.cmd)}: expected status, stop, simulate-db-failure or set-clock-offset`;
  }
}

export function listenForControl(input: Readable, handle: (command: ControlCommand) => void, reply: (line: ControlReply) => void): () => void {
  const lines = createInterface({ input, crlfDelay: Infinity });
  lines.on('line', (text) => {
    if (!text.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      reply({ type: 'control', ok: false, error: 'not JSON' });
      return;
    }
    const command = parseControlCommand(json);
    if (typeof command === 'string') {
      reply({ type: 'control', ok: false, error: command });
      return;
    }
    handle(command);
    reply({ type: 'control', ok: true, cmd: command.cmd });
  });
  return () => lines.close();
}
