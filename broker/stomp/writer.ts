import type { OutgoingFrame, StompVersion } from './frame.js';

const NEEDS_ESCAPE_11 = /[\\\n:]/;
const NEEDS_ESCAPE_12 = /[\\\n:\r]/;
const TERMINATOR = Buffer.from([0x00, 0x0a]);
const EMPTY = Buffer.alloc(0);

/**
 * Header value escaping per version [STOMP-1.2 value encoding]: none in 1.0; `\\`, `\n`, `\c` in 1.1;
 * plus `\r` in 1.2. CONNECTED is written before the version is switched, so it is never escaped
 * (the spec's CONNECT/CONNECTED exception). Names are not escaped, as in ActiveMQ.
 */
export function escapeHeader(value: string, version: StompVersion): string {
  if (version === '1.0') return value;
  const pattern = version === '1.2' ? NEEDS_ESCAPE_12 : NEEDS_ESCAPE_11;
  if (!pattern.test(value)) return value;
  let out = '';
  for (const ch of value) {
    if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === ':') out += '\\c';
    else if (ch === '\r' && version === '1.2') out += '\\r';
    else out += ch;
  }
  return out;
}

/** One frame as bytes: command, headers, blank line, body, NUL and a trailing EOL (like ActiveMQ). */
export function encodeFrame(frame: OutgoingFrame, version: StompVersion): Buffer {
  let head = frame.command + '\n';
  for (const [name, value] of frame.headers) {
    head += name + ':' + escapeHeader(value, version) + '\n';
  }
  head += '\n';
  const body = frame.body ?? EMPTY;
  const headLength = Buffer.byteLength(head);
  const out = Buffer.allocUnsafe(headLength + body.length + TERMINATOR.length);
  out.write(head, 0, 'utf8');
  body.copy(out, headLength);
  TERMINATOR.copy(out, headLength + body.length);
  return out;
}

/** A heart-beat is a single EOL [STOMP-1.2 heart-beating]. */
export const HEART_BEAT = Buffer.from('\n');
