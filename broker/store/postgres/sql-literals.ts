import { loadPg } from '../../util/cjs.js';

/**
 * Values inlined into the one-trip SQL text of a group commit (a multi-statement simple query
 * cannot carry parameters). Every value is checked or escaped here, so no header value or
 * container name can end a literal early; a bad value throws a TypeError or RangeError, which
 * the group committer isolates to the batch that carried it.
 */

/** Quotes, backslashes (E'' strings) and NUL are the only characters a literal must treat specially. */
const NEEDS_ESCAPING = /['\\\0]/;

export function textLiteral(value: string | null): string {
  if (value === null) return 'NULL';
  if (typeof value !== 'string') throw new TypeError(`expected a string or null, got ${typeof value}`);
  // The simple query protocol ends the query text at a NUL byte; PostgreSQL text cannot hold one anyway.
  if (!NEEDS_ESCAPING.test(value)) return `'${value}'`;
  if (value.includes('\0')) throw new RangeError('PostgreSQL text cannot contain a NUL character');
  return loadPg().escapeLiteral(value);
}

export function integerLiteral(value: number | null): string {
  if (value === null) return 'NULL';
  if (!Number.isSafeInteger(value)) throw new RangeError(`expected an integer, got ${String(value)}`);
  return String(value);
}

/** Hex bytea in an E'' string, so the result does not depend on `standard_conforming_strings`. */
export function byteaLiteral(bytes: Uint8Array): string {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('expected the message body as bytes');
  return `E'\\\\x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}'::bytea`;
}
