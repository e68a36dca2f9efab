import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
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

let sqliteAddon: object | null | undefined;

/**
 * Opens an SQLite database with better-sqlite3's compiled addon loaded by its path. Left to itself,
 * better-sqlite3 finds the addon through the \`bindings\` package, which loads two more packages and
 * probes a dozen paths: enough path work on a slave's start for V8 to compile it with TurboFan,
 * which alone maps about 4 MB more of the node binary into the process (measured on a slave).
 */
export function openSqlite(file: string, options: SqliteDatabase.Options = {}): SqliteDatabase.Database {
  if (sqliteAddon === undefined) {
    const addon = join(dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');
    sqliteAddon = existsSync(addon) ? (require(addon) as object) : null;
  }
  const Database = loadBetterSqlite3();
  return sqliteAddon ? new Database(file, { ...options, nativeBinding: sqliteAddon as unknown as string }) : new Database(file, options);
}

export function loadPg(): typeof Pg {
  defineNodeNavigator();
  return require('pg') as typeof Pg;
}

/**
 * pg 8 asks whether it runs in a Cloudflare Worker when it loads: it reads `navigator.userAgent`,
 * and where there is no `navigator` (Node 20; Node 21 added one) it builds a `new Response()`,
 * which loads Node's whole fetch implementation (undici, http, http2, tls, zlib, worker_threads):
 * about 5 MB of RSS in every broker on PostgreSQL, slaves included, for nothing. Node 21+ answers
 * `navigator.userAgent` with "Node.js/<major>"; we give Node 20 the same answer before pg asks.
 */
function defineNodeNavigator(): void {
  if ('navigator' in globalThis) return;
  Object.defineProperty(globalThis, 'navigator', {
    value: Object.freeze({ userAgent: `Node.js/${process.versions.node.split('.')[0]}` }),
    configurable: true,
    writable: true,
    enumerable: false,
  });
}

export function loadSaxes(): typeof Saxes {
  return require('saxes') as typeof Saxes;
}

export function loadWs(): typeof Ws {
  return require('ws') as typeof Ws;
}
