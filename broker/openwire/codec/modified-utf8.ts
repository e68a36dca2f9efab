import { OpenWireError } from './errors.js';

/**
 * Java's modified UTF-8 (DataOutput.writeUTF without the length): every UTF-16 code unit is
 * encoded on its own (a surrogate pair becomes two 3-byte sequences), U+0000 is `C0 80`, and
 * 4-byte sequences do not exist. Node's 'utf8' codec differs on all three, so OpenWire strings,
 * property keys and text bodies go through here.
 */
export function modifiedUtf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x01 && c <= 0x7f) n += 1;
    else if (c <= 0x7ff) n += 2;
    else n += 3;
  }
  return n;
}

/** Writes `s` at `offset`; the caller sized `out` with modifiedUtf8Length. Returns the end offset. */
export function writeModifiedUtf8(out: Buffer, offset: number, s: string): number {
  let o = offset;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x01 && c <= 0x7f) out[o++] = c;
    else if (c <= 0x7ff) {
      out[o++] = 0xc0 | (c >> 6);
      out[o++] = 0x80 | (c & 0x3f);
    } else {
      out[o++] = 0xe0 | (c >> 12);
      out[o++] = 0x80 | ((c >> 6) & 0x3f);
      out[o++] = 0x80 | (c & 0x3f);
    }
  }
  return o;
}

export function encodeModifiedUtf8(s: string): Buffer {
  const out = Buffer.allocUnsafe(modifiedUtf8Length(s));
  writeModifiedUtf8(out, 0, s);
  return out;
}

/** Decodes `buf[start, end)`; a malformed sequence is an OpenWireError positioned at its first byte. */
export function decodeModifiedUtf8(buf: Buffer, start: number, end: number): string {
  // Pure ASCII (the common case: ids, names) decodes in one call.
  let ascii = true;
  for (let i = start; i < end; i++) {
    const b = buf[i] as number;
    if (b === 0 || b > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) return buf.toString('latin1', start, end);
  const units: number[] = [];
  let i = start;
  const bad = (at: number) => new OpenWireError('malformed modified UTF-8 string', at);
  while (i < end) {
    const a = buf[i] as number;
    if (a < 0x80 && a !== 0) {
      units.push(a);
      i += 1;
    } else if ((a & 0xe0) === 0xc0) {
      if (i + 2 > end) throw bad(i);
      const b = buf[i + 1] as number;
      if ((b & 0xc0) !== 0x80) throw bad(i);
      units.push(((a & 0x1f) << 6) | (b & 0x3f));
      i += 2;
    } else if ((a & 0xf0) === 0xe0) {
      if (i + 3 > end) throw bad(i);
      const b = buf[i + 1] as number;
      const c = buf[i + 2] as number;
      if ((b & 0xc0) !== 0x80 || (c & 0xc0) !== 0x80) throw bad(i);
      units.push(((a & 0x0f) << 12) | ((b & 0x3f) << 6) | (c & 0x3f));
      i += 3;
    } else {
      throw bad(i);
    }
  }
  let out = '';
  for (let k = 0; k < units.length; k += 8192) out += String.fromCharCode(...units.slice(k, k + 8192));
  return out;
}
