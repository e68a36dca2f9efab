import type { DataReader } from './data-io.js';
import { DataWriter } from './data-io.js';
import { OpenWireError } from './errors.js';
import type { TypedMap, TypedValue } from '../../destination/typed-value.js';

/** OpenWire's primitive map carries the broker's typed values (message properties, Map/Stream bodies, WireFormatInfo options). */
export type Primitive = TypedValue;
export type PrimitiveMap = TypedMap;

const CODES = { null: 0, boolean: 1, byte: 2, char: 3, short: 4, int: 5, long: 6, double: 7, float: 8, string: 9, bytes: 10, map: 11, list: 12 } as const;
/** Strings of this many chars or more go out as the int32-length "big string" (type 13), like the client. */
const BIG_STRING_CHARS = 8191;
/** Nesting deeper than this is refused: a hostile frame must not exhaust the stack. */
const MAX_DEPTH = 32;

export function readPrimitive(r: DataReader, depth = 0): Primitive {
  if (depth > MAX_DEPTH) throw new OpenWireError('primitive map nested too deeply', r.pos);
  const at = r.pos;
  const code = r.byte();
  switch (code) {
    case 0:
      return { t: 'null' };
    case 1:
      return { t: 'boolean', v: r.bool() };
    case 2:
      return { t: 'byte', v: r.byte() };
    case 3:
      return { t: 'char', v: r.ushort() };
    case 4:
      return { t: 'short', v: r.short() };
    case 5:
      return { t: 'int', v: r.int() };
    case 6:
      return { t: 'long', v: r.bigLong() };
    case 7:
      return { t: 'double', v: r.double() };
    case 8:
      return { t: 'float', v: r.float() };
    case 9:
      return { t: 'string', v: r.utf() };
    case 10:
      return { t: 'bytes', v: Buffer.from(r.raw(r.int())) };
    case 11:
      return { t: 'map', v: readMapBody(r, depth + 1) ?? new Map() };
    case 12: {
      const n = r.int();
      if (n < 0 || n > r.remaining) throw new OpenWireError(`bad list size ${n}`, at + 1);
      const list: Primitive[] = [];
      for (let i = 0; i < n; i++) list.push(readPrimitive(r, depth + 1));
      return { t: 'list', v: list };
    }
    case 13:
      return { t: 'string', v: r.bigUtf() };
    default:
      throw new OpenWireError(`unknown primitive type ${code}`, at);
  }
}

export function writePrimitive(w: DataWriter, p: Primitive): void {
  if (p.t === 'string' && p.v.length >= BIG_STRING_CHARS) {
    w.byte(13);
    w.bigUtf(p.v);
    return;
  }
  w.byte(CODES[p.t]);
  switch (p.t) {
    case 'null':
      return;
    case 'boolean':
      return w.bool(p.v);
    case 'byte':
      return w.byte(p.v);
    case 'char':
      return w.ushort(p.v);
    case 'short':
      return w.short(p.v);
    case 'int':
      return w.int(p.v);
    case 'long':
      return w.long(p.v);
    case 'double':
      return w.double(p.v);
    case 'float':
      return w.float(p.v);
    case 'string':
      return w.utf(p.v);
    case 'bytes':
      w.int(p.v.length);
      return w.raw(p.v);
    case 'map':
      return writeMapBody(w, p.v);
    case 'list':
      w.int(p.v.length);
      for (const item of p.v) writePrimitive(w, item);
  }
}

/** int32 count (-1: null) then key + tagged value per entry. */
export function readMapBody(r: DataReader, depth = 0, maxEntries = Number.MAX_SAFE_INTEGER): PrimitiveMap | null {
  const at = r.pos;
  const n = r.int();
  if (n === -1) return null;
  // Each entry takes at least 3 bytes: a corrupt count must not loop for long.
  if (n < 0 || n > maxEntries || n * 3 > r.remaining) throw new OpenWireError(`bad primitive map size ${n}`, at);
  const map: PrimitiveMap = new Map();
  for (let i = 0; i < n; i++) {
    const key = r.utf();
    map.set(key, readPrimitive(r, depth));
  }
  return map;
}

export function writeMapBody(w: DataWriter, map: PrimitiveMap | null): void {
  if (map === null) {
    w.int(-1);
    return;
  }
  w.int(map.size);
  for (const [key, value] of map) {
    w.utf(key);
    writePrimitive(w, value);
  }
}

export function encodeMap(map: PrimitiveMap): Buffer {
  const w = new DataWriter();
  writeMapBody(w, map);
  return w.toBuffer();
}
