import { StoreError } from '../util/errors.js';

/**
 * The `MSG` column: our own compact encoding of a STOMP message (not OpenWire).
 *
 *   u8 version (1) | u32 header count | per header: u32 len, UTF-8 name, u32 len, UTF-8 value
 *   | u32 body length | body bytes
 *
 * Integers are little-endian. Headers keep their order (STOMP 1.2: the first of repeated headers
 * wins, so order is meaning). Strings are UTF-8, so a lone UTF-16 surrogate comes back as U+FFFD,
 * which a STOMP frame decoded from UTF-8 never contains anyway.
 */

export interface EncodedMessageInput {
  headers: Array<[string, string]>;
  body: Uint8Array;
}

const VERSION = 1;

export function encodeMessage(m: EncodedMessageInput): Uint8Array {
  let size = 1 + 4 + 4 + m.body.byteLength;
  for (const [name, value] of m.headers) {
    size += 8 + Buffer.byteLength(name, 'utf8') + Buffer.byteLength(value, 'utf8');
  }
  const out = Buffer.allocUnsafe(size);
  out[0] = VERSION;
  out.writeUInt32LE(m.headers.length, 1);
  let offset = 5;
  for (const [name, value] of m.headers) {
    offset = writeString(out, offset, name);
    offset = writeString(out, offset, value);
  }
  out.writeUInt32LE(m.body.byteLength, offset);
  out.set(m.body, offset + 4);
  return out;
}

function writeString(out: Buffer, offset: number, s: string): number {
  const written = out.write(s, offset + 4, 'utf8');
  out.writeUInt32LE(written, offset);
  return offset + 4 + written;
}

/** Rejects anything that is not exactly one well-formed encoding with a `StoreError`. */
export function decodeMessage(bytes: Uint8Array): EncodedMessageInput {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 9 || buf[0] !== VERSION) {
    throw new StoreError(`stored message has an unknown encoding (version ${String(buf[0])})`);
  }
  const count = buf.readUInt32LE(1);
  // Each header takes at least 8 bytes: a corrupt count must not allocate a huge array.
  if (count > (buf.length - 9) / 8) throw corrupt('header count');
  const headers: Array<[string, string]> = new Array(count);
  let offset = 5;
  for (let i = 0; i < count; i++) {
    const nameEnd = stringEnd(buf, offset);
    const name = buf.toString('utf8', offset + 4, nameEnd);
    const valueEnd = stringEnd(buf, nameEnd);
    headers[i] = [name, buf.toString('utf8', nameEnd + 4, valueEnd)];
    offset = valueEnd;
  }
  if (offset + 4 > buf.length) throw corrupt('body length');
  const bodyLength = buf.readUInt32LE(offset);
  if (offset + 4 + bodyLength !== buf.length) throw corrupt('body length');
  return { headers, body: buf.subarray(offset + 4) };
}

function stringEnd(buf: Buffer, offset: number): number {
  if (offset + 4 > buf.length) throw corrupt('string length');
  const end = offset + 4 + buf.readUInt32LE(offset);
  if (end > buf.length) throw corrupt('string length');
  return end;
}

function corrupt(what: string): StoreError {
  return new StoreError(`stored message is corrupt: bad ${what}`);
}
