import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { z } from 'zod';

/**
 * The lab's control channel into a broker it spawned: JSON lines on stdin (`--control stdin`).
 * Every line is validated; a bad one is answered with an error line and changes nothing.
 */
export const ControlCommand = z.discriminatedUnion('cmd', [
  z.object({ cmd: z.literal('status') }),
  z.object({ cmd: z.literal('stop') }),
  z.object({ cmd: z.literal('simulate-db-failure'), failing: z.boolean() }),
  z.object({ cmd: z.literal('set-clock-offset'), offsetMs: z.number().finite() }),
]);
export type ControlCommand = z.infer<typeof ControlCommand>;

export interface ControlReply {
  type: 'control';
  ok: boolean;
  cmd?: string;
  error?: string;
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
    const parsed = ControlCommand.safeParse(json);
    if (!parsed.success) {
      reply({ type: 'control', ok: false, error: parsed.error.issues.map((i) => `${i.path.join('.') || 'command'}: ${i.message}`).join('; ') });
      return;
    }
    handle(parsed.data);
    reply({ type: 'control', ok: true, cmd: parsed.data.cmd });
  });
  return () => lines.close();
}
