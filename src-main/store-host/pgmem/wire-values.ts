import type { FieldInfo } from 'pg-mem';
import type { FieldDesc, NoticeOrError } from 'pg-server';

/** pg-mem reports some types under another OID than PostgreSQL (timestamptz as timestamp, float as float4). */
const OID_BY_TYPE: Record<string, number> = {
  timestamptz: 1184,
  timestamp: 1114,
  float: 701,
  decimal: 1700,
  bytea: 17,
  bool: 16,
  text: 25,
  jsonb: 3802,
  json: 114,
  uuid: 2950,
  date: 1082,
};

export function rowDescription(fields: readonly FieldInfo[]): FieldDesc[] {
  return fields.map((f) => ({
    name: f.name,
    tableID: 0,
    columnID: 0,
    dataTypeID: OID_BY_TYPE[f.type] ?? f.typeId,
    dataTypeSize: -1,
    dataTypeModifier: -1,
    mode: 'text',
  }));
}

/** A value in PostgreSQL's text format. */
export function textValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (value instanceof Date) return value.toISOString().replace('T', ' ').replace('Z', '+00');
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `\\x${Buffer.from(value).toString('hex')}`;
  if (Array.isArray(value)) return `{${value.map(arrayElement).join(',')}}`;
  return JSON.stringify(value);
}

function arrayElement(value: unknown): string {
  const text = textValue(value);
  return text === null ? 'NULL' : `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/**
 * A DataRow message. pg-server's writer sizes fields by UTF-16 length, which corrupts the stream
 * for any non-ASCII text, so rows are encoded here with byte lengths.
 */
export function dataRowMessage(values: ReadonlyArray<string | null>): Buffer {
  const encoded = values.map((v) => (v === null ? null : Buffer.from(v, 'utf8')));
  const length = 4 + 2 + encoded.reduce((n, b) => n + 4 + (b?.length ?? 0), 0);
  const out = Buffer.allocUnsafe(1 + length);
  out.write('D', 0, 'latin1');
  out.writeInt32BE(length, 1);
  out.writeInt16BE(encoded.length, 5);
  let offset = 7;
  for (const b of encoded) {
    out.writeInt32BE(b === null ? -1 : b.length, offset);
    offset += 4;
    if (b) offset += b.copy(out, offset);
  }
  return out;
}

/** The command tag of CommandComplete. */
export function commandTag(command: string, rowCount: number): string {
  switch (command) {
    case 'INSERT':
      return `INSERT 0 ${rowCount}`;
    case 'SELECT':
    case 'UPDATE':
    case 'DELETE':
      return `${command} ${rowCount}`;
    case 'UNION':
    case 'VALUES':
    case 'WITH':
      return `SELECT ${rowCount}`;
    default:
      return command;
  }
}

const SQLSTATE_BY_MESSAGE: Array<[RegExp, string]> = [
  [/violates not-null constraint/i, '23502'],
  [/duplicate key value/i, '23505'],
  [/violates foreign key/i, '23503'],
  [/violates check constraint/i, '23514'],
  [/value too long/i, '22001'],
  [/invalid input syntax|cannot cast|invalid .* value/i, '22P02'],
  [/out of range/i, '22003'],
  [/division by zero/i, '22012'],
  [/failed to parse|syntax error/i, '42601'],
  [/relation .* does not exist/i, '42P01'],
  [/column .* does not exist/i, '42703'],
  [/function .* does not exist/i, '42883'],
  [/already exists/i, '42P07'],
  [/schema not found/i, '3F000'],
];

const SQLSTATE_BY_CLASS: Record<string, string> = {
  RelationNotFound: '42P01',
  ColumnNotFound: '42703',
  TypeNotFound: '42704',
  AmbiguousColumn: '42702',
  CastError: '22P02',
  RecordExists: '23505',
  NotSupported: '0A000',
  PermissionDeniedError: '42501',
};

/** An ErrorResponse for anything thrown while serving a statement: a SQLSTATE and pg-mem's first line. */
export function toWireError(error: unknown, severity = 'ERROR'): NoticeOrError {
  const e = error as { code?: unknown; data?: { code?: unknown }; message?: unknown; constructor?: { name?: string } } | null;
  const raw = typeof e?.message === 'string' ? e.message : String(error);
  // pg-mem appends hints and a stack after a blank line: keep the statement's error, on one line.
  const message = (raw.split('\n\n')[0] ?? raw).replace(/^\s*ERROR:\s*/, '').replace(/\s*\n\s*/g, ' ').trim() || 'error';
  const explicit = [e?.code, e?.data?.code].find((c): c is string => typeof c === 'string' && /^[0-9A-Z]{5}$/.test(c));
  const code =
    explicit ??
    SQLSTATE_BY_MESSAGE.find(([re]) => re.test(raw))?.[1] ??
    SQLSTATE_BY_CLASS[e?.constructor?.name ?? ''] ??
    'XX000';
  return { severity, code, message };
}
