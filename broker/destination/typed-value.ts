/**
 * A typed property value (JMS properties, Map and Stream body entries): the type is part of the
 * value, as JMS requires (`getIntProperty` of a long fails). Protocol-neutral: OpenWire reads and
 * writes it as a primitive map; STOMP sees each value as text.
 */
export type TypedValue =
  | { t: 'null' }
  | { t: 'boolean'; v: boolean }
  | { t: 'byte' | 'char' | 'short' | 'int' | 'float' | 'double'; v: number }
  | { t: 'long'; v: bigint }
  | { t: 'string'; v: string }
  | { t: 'bytes'; v: Buffer }
  | { t: 'map'; v: TypedMap }
  | { t: 'list'; v: TypedValue[] };

export type TypedMap = Map<string, TypedValue>;

/** What a selector sees of a typed value (longs as numbers; containers and bytes as null). */
export function typedToSelector(p: TypedValue): string | number | boolean | null {
  switch (p.t) {
    case 'null':
    case 'map':
    case 'list':
    case 'bytes':
      return null;
    case 'long':
      return Number(p.v);
    case 'char':
      return String.fromCharCode(p.v);
    default:
      return p.v;
  }
}

/** The text a STOMP header carries for a typed value (Java's `toString`). */
export function typedToString(p: TypedValue): string {
  switch (p.t) {
    case 'null':
      return '';
    case 'long':
      return p.v.toString();
    case 'char':
      return String.fromCharCode(p.v);
    case 'bytes':
      return p.v.toString('base64');
    case 'map':
    case 'list':
      return JSON.stringify(toJson(p));
    case 'float':
    case 'double':
      return Number.isInteger(p.v) ? p.v.toFixed(1) : String(p.v);
    default:
      return String(p.v);
  }
}

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

/** A JSON form that keeps the type (the store's encoding of typed properties). */
export function toJson(p: TypedValue): Json {
  switch (p.t) {
    case 'null':
      return ['null'];
    case 'long':
      return ['long', p.v.toString()];
    case 'bytes':
      return ['bytes', p.v.toString('base64')];
    case 'map':
      return ['map', [...p.v].map(([k, v]) => [k, toJson(v)])];
    case 'list':
      return ['list', p.v.map(toJson)];
    default:
      return [p.t, p.v];
  }
}

export function fromJson(j: unknown): TypedValue {
  if (!Array.isArray(j) || typeof j[0] !== 'string') throw new TypeError('bad typed value');
  const [t, v] = j as [string, unknown];
  switch (t) {
    case 'null':
      return { t: 'null' };
    case 'long':
      return { t: 'long', v: BigInt(v as string) };
    case 'bytes':
      return { t: 'bytes', v: Buffer.from(v as string, 'base64') };
    case 'map':
      return { t: 'map', v: new Map((v as Array<[string, unknown]>).map(([k, x]) => [k, fromJson(x)])) };
    case 'list':
      return { t: 'list', v: (v as unknown[]).map(fromJson) };
    case 'boolean':
      return { t, v: v as boolean };
    case 'string':
      return { t, v: v as string };
    case 'byte':
    case 'char':
    case 'short':
    case 'int':
    case 'float':
    case 'double':
      return { t, v: v as number };
    default:
      throw new TypeError(`bad typed value type ${t}`);
  }
}
