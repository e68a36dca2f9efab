import { DataReader, DataWriter } from './data-io.js';
import { OpenWireError } from './errors.js';
import { readMapBody, writeMapBody, type PrimitiveMap } from './primitive-map.js';
import { TYPES, WIRE_FORMAT_INFO, type FieldSpec } from './specs.js';

/** Any decoded OpenWire structure: its type number and its fields by (camelCase) name. */
export interface DataStructure {
  type: number;
  [field: string]: unknown;
}

export interface StackFrame {
  className: string | null;
  methodName: string | null;
  fileName: string | null;
  lineNumber: number;
}

/** A Java Throwable as OpenWire carries it; the client rebuilds it by class name. */
export interface WireThrowable {
  className: string | null;
  message: string | null;
  stack?: StackFrame[];
  cause?: WireThrowable | null;
}

export interface WireFormatInfo {
  type: 1;
  version: number;
  properties: PrimitiveMap;
}

/** What the loose encoding depends on after negotiation. */
export interface MarshalContext {
  version: number;
  /** StackTraceEnabled: Throwables carry frames and a cause. */
  stackTrace: boolean;
}

const MAGIC = Buffer.from('ActiveMQ', 'latin1');
/** WireFormatInfo carries at most this many options (ActiveMQ's own limit). */
const MAX_WIRE_FORMAT_ENTRIES = 4096;
const MAX_NESTING = 16;

export function isWireFormatInfo(c: DataStructure | WireFormatInfo): c is WireFormatInfo {
  return c.type === WIRE_FORMAT_INFO;
}

/** Decodes one frame body (type byte + fields). Null: the null command (type 0). */
export function readCommand(body: Buffer, ctx: MarshalContext): DataStructure | WireFormatInfo | null {
  const r = new DataReader(body);
  const type = r.byte();
  if (type === 0) return null;
  const out = type === WIRE_FORMAT_INFO ? readWireFormatInfo(r) : readBody(r, type, ctx, 0);
  if (r.remaining !== 0) throw new OpenWireError(`${r.remaining} unexpected bytes after a ${typeName(type)}`, r.pos);
  return out;
}

function typeName(type: number): string {
  return TYPES.get(type)?.name ?? `type ${type}`;
}

function readWireFormatInfo(r: DataReader): WireFormatInfo {
  const at = r.pos;
  if (!r.raw(MAGIC.length).equals(MAGIC)) throw new OpenWireError('WireFormatInfo without the ActiveMQ magic', at);
  const version = r.int();
  let properties: PrimitiveMap = new Map();
  if (r.bool()) {
    const n = r.int();
    const end = r.pos + n;
    if (n < 0 || end > r.end) throw new OpenWireError(`bad WireFormatInfo properties length ${n}`, r.pos - 4);
    const inner = new DataReader(r.buf, r.pos, end);
    properties = readMapBody(inner, 0, MAX_WIRE_FORMAT_ENTRIES) ?? new Map();
    r.pos = end;
  }
  return { type: WIRE_FORMAT_INFO, version, properties };
}

function readBody(r: DataReader, type: number, ctx: MarshalContext, depth: number): DataStructure {
  const spec = TYPES.get(type);
  if (spec === undefined) throw new OpenWireError(`unknown OpenWire data type ${type}`, r.pos - 1);
  if (depth > MAX_NESTING) throw new OpenWireError('structures nested too deeply', r.pos);
  const out: DataStructure = { type };
  if (spec.command) {
    out.commandId = r.int();
    out.responseRequired = r.bool();
  }
  for (const field of spec.fields) {
    if (field.since !== undefined && ctx.version < field.since) continue;
    out[field.name] = readField(r, field, ctx, depth);
  }
  return out;
}

function readNested(r: DataReader, ctx: MarshalContext, depth: number): DataStructure | null {
  if (!r.bool()) return null;
  const type = r.byte();
  if (type === WIRE_FORMAT_INFO) throw new OpenWireError('a WireFormatInfo cannot be nested', r.pos - 1);
  return readBody(r, type, ctx, depth + 1);
}

function readField(r: DataReader, field: FieldSpec, ctx: MarshalContext, depth: number): unknown {
  switch (field.kind) {
    case 'bool':
      return r.bool();
    case 'byte':
      return r.byte();
    case 'short':
      return r.short();
    case 'int':
      return r.int();
    case 'long':
      return r.long();
    case 'string':
      return r.bool() ? r.utf() : null;
    case 'bytes':
      return r.bool() ? Buffer.from(r.raw(r.int())) : null;
    case 'nested':
      return readNested(r, ctx, depth);
    case 'nested[]': {
      if (!r.bool()) return null;
      const at = r.pos;
      const n = r.short();
      if (n < 0) throw new OpenWireError(`bad array size ${n}`, at);
      const items: Array<DataStructure | null> = [];
      for (let i = 0; i < n; i++) items.push(readNested(r, ctx, depth));
      return items;
    }
    case 'throwable':
      return readThrowable(r, ctx, 0);
  }
}

function readThrowable(r: DataReader, ctx: MarshalContext, depth: number): WireThrowable | null {
  if (!r.bool()) return null;
  if (depth > MAX_NESTING) throw new OpenWireError('exception causes nested too deeply', r.pos);
  const str = () => (r.bool() ? r.utf() : null);
  const t: WireThrowable = { className: str(), message: str() };
  if (ctx.stackTrace) {
    const n = r.short();
    const stack: StackFrame[] = [];
    for (let i = 0; i < n; i++) stack.push({ className: str(), methodName: str(), fileName: str(), lineNumber: r.int() });
    t.stack = stack;
    t.cause = readThrowable(r, ctx, depth + 1);
  }
  return t;
}

/** One frame: int32 size prefix, then the type byte and the loose-encoded fields. */
export function encodeCommand(c: DataStructure | WireFormatInfo, ctx: MarshalContext): Buffer {
  const w = new DataWriter();
  w.int(0);
  w.byte(c.type);
  if (isWireFormatInfo(c)) writeWireFormatInfo(w, c);
  else writeBody(w, c, ctx);
  w.patchInt(0, w.pos - 4);
  return w.toBuffer();
}

function writeWireFormatInfo(w: DataWriter, c: WireFormatInfo): void {
  w.raw(MAGIC);
  w.int(c.version);
  w.bool(true);
  const at = w.pos;
  w.int(0);
  writeMapBody(w, c.properties);
  w.patchInt(at, w.pos - at - 4);
}

function writeBody(w: DataWriter, c: DataStructure, ctx: MarshalContext): void {
  const spec = TYPES.get(c.type);
  if (spec === undefined) throw new OpenWireError(`cannot marshal unknown OpenWire data type ${c.type}`);
  if (spec.command) {
    w.int((c.commandId as number | undefined) ?? 0);
    w.bool((c.responseRequired as boolean | undefined) ?? false);
  }
  for (const field of spec.fields) {
    if (field.since !== undefined && ctx.version < field.since) continue;
    writeField(w, field, c[field.name], ctx);
  }
}

function writeNested(w: DataWriter, v: unknown, ctx: MarshalContext): void {
  if (v === null || v === undefined) {
    w.bool(false);
    return;
  }
  w.bool(true);
  const ds = v as DataStructure;
  w.byte(ds.type);
  writeBody(w, ds, ctx);
}

function writeField(w: DataWriter, field: FieldSpec, v: unknown, ctx: MarshalContext): void {
  switch (field.kind) {
    case 'bool':
      return w.bool(v === true);
    case 'byte':
      return w.byte((v as number | undefined) ?? 0);
    case 'short':
      return w.short((v as number | undefined) ?? 0);
    case 'int':
      return w.int((v as number | undefined) ?? 0);
    case 'long':
      return w.long((v as number | bigint | undefined) ?? 0);
    case 'string':
      w.bool(typeof v === 'string');
      if (typeof v === 'string') w.utf(v);
      return;
    case 'bytes':
      w.bool(Buffer.isBuffer(v));
      if (Buffer.isBuffer(v)) {
        w.int(v.length);
        w.raw(v);
      }
      return;
    case 'nested':
      return writeNested(w, v, ctx);
    case 'nested[]': {
      const items = v as unknown[] | null | undefined;
      w.bool(Array.isArray(items));
      if (!Array.isArray(items)) return;
      w.short(items.length);
      for (const item of items) writeNested(w, item, ctx);
      return;
    }
    case 'throwable':
      return writeThrowable(w, v as WireThrowable | null | undefined, ctx);
  }
}

function writeThrowable(w: DataWriter, t: WireThrowable | null | undefined, ctx: MarshalContext): void {
  if (t === null || t === undefined) {
    w.bool(false);
    return;
  }
  w.bool(true);
  const str = (s: string | null) => {
    w.bool(s !== null);
    if (s !== null) w.utf(s);
  };
  str(t.className);
  str(t.message);
  if (!ctx.stackTrace) return;
  const stack = t.stack ?? [];
  w.short(stack.length);
  for (const frame of stack) {
    str(frame.className);
    str(frame.methodName);
    str(frame.fileName);
    w.int(frame.lineNumber);
  }
  writeThrowable(w, t.cause ?? null, ctx);
}
