import type { Readable } from 'node:stream';
import type { ControlCommand, ControlReply, ControlRequestName, ControlResults } from './control-protocol.js';

export type { ControlCommand, ControlReply } from './control-protocol.js';

/**
 * The lab's control channel into a broker it spawned: JSON lines on stdin (`--control stdin`).
 * Every line is validated; a bad one is answered with an error line and changes nothing. Checked by
 * hand rather than with a schema library: five shapes do not justify its memory in every broker.
 */

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
    case 'purge':
      if (typeof fields.destination !== 'string' || !fields.destination.startsWith('/queue/') || !only('destination')) {
        return 'purge takes {"destination": "/queue/NAME"}';
      }
      return { cmd: 'purge', destination: fields.destination };
    default:
      return `unknown command ${JSON.stringify(fields.cmd)}: expected status, stop, simulate-db-failure, set-clock-offset or purge`;
  }
}

/** Longer lines are not commands: answered with an error and skipped up to their newline. */
export const MAX_CONTROL_LINE = 64 * 1024;

/**
 * `handle` answers at once (void), or with a promise for commands that take a while (purge): their
 * reply follows when it settles, with its `result` or the error. Lines are split here rather than by
 * node:readline, which costs every broker the lab starts about 0.8 MB of RSS (measured on a slave).
 */
export function listenForControl(
  input: Readable,
  handle: (command: ControlCommand) => void | Promise<ControlResults[ControlRequestName]>,
  reply: (line: ControlReply) => void,
): () => void {
  let partial = '';
  let skipping = false;
  const onData = (chunk: string) => {
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', start)) {
      const line = partial + chunk.slice(start, nl);
      partial = '';
      start = nl + 1;
      if (skipping) skipping = false;
      else onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
    }
    if (skipping) return;
    partial += chunk.slice(start);
    if (partial.length > MAX_CONTROL_LINE) {
      partial = '';
      skipping = true;
      reply({ type: 'control', ok: false, error: `a command line is at most ${MAX_CONTROL_LINE} characters` });
    }
  };
  const onLine = (text: string) => {
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
    const pending = handle(command);
    if (!(pending instanceof Promise)) {
      reply({ type: 'control', ok: true, cmd: command.cmd } as ControlReply);
      return;
    }
    // Only a request (purge) returns a promise, so the reply names that command with its result.
    pending.then(
      (result) => reply({ type: 'control', ok: true, cmd: command.cmd, result } as ControlReply),
      (error: unknown) => reply({ type: 'control', ok: false, cmd: command.cmd, error: error instanceof Error ? error.message : String(error) }),
    );
  };
  input.setEncoding('utf8');
  input.on('data', onData);
  return () => {
    input.off('data', onData);
    input.pause();
  };
}
