/**
 * What the glue reads from SQL text before pg-mem sees it: statement boundaries, transaction
 * control, session settings, `FOR UPDATE` row locks, and the clock expressions pg-mem lacks.
 */

/** Splits a simple-protocol query string into statements, respecting quotes, dollar quotes and comments. */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let start = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      i = sql.indexOf(c, i + 1);
      if (i < 0) break;
    } else if (c === '-' && sql[i + 1] === '-') {
      i = sql.indexOf('\n', i);
      if (i < 0) break;
    } else if (c === '/' && sql[i + 1] === '*') {
      i = sql.indexOf('*/', i + 2);
      if (i < 0) break;
      i++;
    } else if (c === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i));
      if (tag) {
        i = sql.indexOf(tag[0], i + tag[0].length);
        if (i < 0) break;
        i += tag[0].length - 1;
      }
    } else if (c === ';') {
      out.push(sql.slice(start, i));
      start = i + 1;
    }
    i++;
  }
  out.push(sql.slice(start));
  return out.map((s) => s.trim()).filter((s) => s.length > 0);
}

export type GlueStatement =
  | { kind: 'begin' }
  | { kind: 'commit' }
  | { kind: 'rollback' }
  | { kind: 'set'; name: string; value: string; local: boolean }
  | { kind: 'reset'; name: string }
  | { kind: 'show'; name: string }
  | { kind: 'drop-schema'; names: string[]; ifExists: boolean };

/** Statements the glue answers itself: pg-mem's own transactions and settings are global, not per session. */
export function glueStatement(sql: string): GlueStatement | null {
  const s = sql.trim().replace(/;\s*$/, '');
  if (/^(BEGIN|START\s+TRANSACTION)\b/i.test(s)) return { kind: 'begin' };
  if (/^(COMMIT|END)(\s+(WORK|TRANSACTION))?$/i.test(s)) return { kind: 'commit' };
  if (/^(ROLLBACK|ABORT)(\s+(WORK|TRANSACTION))?$/i.test(s)) return { kind: 'rollback' };
  const set = /^SET\s+(?:(SESSION|LOCAL)\s+)?([A-Za-z_][\w.]*)\s*(?:=|\s+TO\s+|\s+)\s*([\s\S]+)$/i.exec(s);
  if (set) return { kind: 'set', name: (set[2] as string).toLowerCase(), value: unquote((set[3] as string).trim()), local: /^local$/i.test(set[1] ?? '') };
  const reset = /^RESET\s+([A-Za-z_][\w.]*)$/i.exec(s);
  if (reset) return { kind: 'reset', name: (reset[1] as string).toLowerCase() };
  const show = /^SHOW\s+([A-Za-z_][\w.]*)$/i.exec(s);
  if (show) return { kind: 'show', name: (show[1] as string).toLowerCase() };
  const drop = /^DROP\s+SCHEMA\s+(IF\s+EXISTS\s+)?([\s\S]+?)(\s+(CASCADE|RESTRICT))?$/i.exec(s);
  if (drop) return { kind: 'drop-schema', ifExists: drop[1] !== undefined, names: (drop[2] as string).split(',').map((n) => identifier(n.trim())) };
  return null;
}

function unquote(value: string): string {
  return /^'.*'$/s.test(value) ? value.slice(1, -1).replaceAll("''", "'") : value;
}

/** An SQL identifier as PostgreSQL stores it: quoted ones verbatim, others lower-cased. */
export function identifier(text: string): string {
  return /^".*"$/s.test(text) ? text.slice(1, -1).replaceAll('""', '"') : text.toLowerCase();
}

/** A `SET search_path` value: `a, "B", public` → ['a', 'B', 'public']. */
export function parseSearchPath(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part) => identifier(unquote(part)));
}

/** `1000`, `'1s'`, `250ms`, `1min` → milliseconds (PostgreSQL's unit for the timeouts we emulate). */
export function parseDurationMs(value: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|min|h|d)?$/i.exec(value.trim());
  if (!m) return null;
  const factor = { ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? 'ms').toLowerCase() as 'ms'];
  return Math.round(Number(m[1]) * factor);
}

const NAME = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)`;
const QUALIFIED = String.raw`(${NAME}(?:\s*\.\s*${NAME})?)`;
const ROW_PIN = String.raw`\bWHERE\s+(?:${NAME}\s*\.\s*)?(${NAME})\s*=\s*(\$\d+|-?\d+|'(?:[^']|'')*')`;

/** A row (or, when the WHERE pins none, every row) of one table, as the lock emulation sees it. */
export interface RowTarget {
  /** `[schema.]table` as written. */
  table: string;
  /** `column=value` of the first `WHERE col = value`, or null for the whole table. */
  row: { column: string; value: string } | null;
}

export type LockingClause =
  | { kind: 'row-lock'; mode: 'share' | 'exclusive'; target: RowTarget; nowait: boolean; sql: string }
  | { kind: 'write'; target: RowTarget; sql: string }
  | null;

/**
 * `SELECT ... FOR UPDATE | FOR SHARE [NOWAIT]` (pg-mem ignores, and with NOWAIT rejects, the
 * clause: it is stripped and emulated) and `UPDATE` / `DELETE`, which wait for rows locked by another session.
 */
export function lockingClause(sql: string, params: readonly unknown[]): LockingClause {
  const forClause = /\s+FOR\s+(?:NO\s+KEY\s+)?(UPDATE|SHARE|KEY\s+SHARE)(?:\s+OF\s+[\w\s,."]+?)?(\s+NOWAIT)?\s*;?\s*$/i.exec(sql);
  if (forClause && /^\s*SELECT\b/i.test(sql)) {
    const from = new RegExp(String.raw`\bFROM\s+${QUALIFIED}`, 'i').exec(sql);
    if (!from) return null;
    const mode = /UPDATE/i.test(forClause[1] as string) ? 'exclusive' : 'share';
    return { kind: 'row-lock', mode, target: target(from[1] as string, sql, params), nowait: forClause[2] !== undefined, sql: sql.slice(0, forClause.index) };
  }
  const write = new RegExp(String.raw`^\s*(?:UPDATE|DELETE\s+FROM)\s+(?:ONLY\s+)?${QUALIFIED}`, 'i').exec(sql);
  if (write) return { kind: 'write', target: target(write[1] as string, sql, params), sql };
  return null;
}

function target(table: string, sql: string, params: readonly unknown[]): RowTarget {
  const pin = new RegExp(ROW_PIN, 'i').exec(sql);
  if (!pin) return { table, row: null };
  const raw = pin[2] as string;
  const value = raw.startsWith('$') ? String(params[Number(raw.slice(1)) - 1]) : raw.startsWith("'") ? unquote(raw) : raw;
  return { table, row: { column: identifier(pin[1] as string), value } };
}

/**
 * pg-mem casts a hex bytea literal (`'\\x..'::bytea`, `E'\\\\x..'::bytea`) to the bytes of its text:
 * it becomes a glue function that decodes the hex.
 */
export function rewriteByteaLiterals(sql: string): string {
  if (!/::\s*bytea/i.test(sql)) return sql;
  return sql.replace(/(?:E'\\\\x|'\\x)([0-9A-Fa-f]*)'\s*::\s*bytea/g, "pgmem_bytea_hex('$1')");
}

/**
 * pg-mem has no `clock_timestamp()`, and its `extract(epoch ...)` drops the milliseconds, which a
 * lease in epoch ms needs: database time expressions become glue functions with ms precision.
 */
export function rewriteClock(sql: string): string {
  if (!/epoch|clock_timestamp|now\s*\(|current_timestamp/i.test(sql)) return sql;
  return sql
    .replace(/\(\s*extract\s*\(\s*epoch\s+from\s+(?:clock_timestamp|now|statement_timestamp|transaction_timestamp)\s*\(\s*\)\s*\)\s*\*\s*1000\s*\)\s*::\s*bigint/gi, 'pgmem_epoch_ms()')
    .replace(/extract\s*\(\s*epoch\s+from\s+(?:clock_timestamp|now|statement_timestamp|transaction_timestamp)\s*\(\s*\)\s*\)/gi, '(pgmem_epoch_ms() / 1000.0)')
    .replace(/extract\s*\(\s*epoch\s+from\s+current_timestamp\s*\)/gi, '(pgmem_epoch_ms() / 1000.0)');
}
