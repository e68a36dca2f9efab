import { createRequire } from 'node:module';
import type SqliteDatabase from 'better-sqlite3';
import type Pg from 'pg';
import type * as Saxes from 'saxes';
import type * as Ws from 'ws';

/**
 * The CommonJS packages a broker uses, loaded with `require`. On Node 20 the first ESM `import` of a
 * CommonJS module instantiates cjs-module-lexer's WebAssembly, which costs every broker process about
 * 9 MB of RSS for nothing (measured: 53 MB vs 44 MB for saxes alone). Each getter loads on first use,
 * so a broker on SQLite never loads `pg` and a broker without WebSocket never loads `ws`.
 */
const require = createRequire(import.meta.url);

export function loadBetterSqlite3(): typeof SqliteDatabase {
  return require('better-sqlite3') as typeof SqliteDatabase;
}

export function loadPg(): typeof Pg {
  return require('pg') as typeof Pg;
}

export function loadSaxes(): typeof Saxes {
  return require('saxes') as typeof Saxes;
}

export function loadWs(): typeof Ws {
  return require('ws') as typeof Ws;
}
