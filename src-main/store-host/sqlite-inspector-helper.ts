import Database from 'better-sqlite3';
import { createInterface } from 'node:readline';
import { SELECT_DEPTHS, SELECT_LOCK_ROW, COUNT_PENDING_SQLITE, SELECT_SUBSCRIPTIONS, toSnapshot, toSubscriptions } from './store-inspector.js';

/**
 * A plain-Node child process that reads an SQLite store for the lab host: better-sqlite3 cannot be
 * loaded in Electron's main process (docs/design.md, Processes), so every shell reads SQLite through this one
 * helper. Requests and answers are JSON lines: `{"id":1,"file":"/x.sqlite"}` →
 * `{"id":1,"ok":true,"snapshot":{...}}` or `{"id":1,"ok":false,"error":"..."}`;
 * `{"id":2,"file":"/x.sqlite","query":"subscriptions"}` → `{"id":2,"ok":true,"subscriptions":[...]}`.
 */

const open = new Map<string, Database.Database>();

function database(file: string): Database.Database {
  let db = open.get(file);
  if (!db) {
    db = new Database(file, { readonly: true, fileMustExist: true, timeout: 200 });
    open.set(file, db);
  }
  return db;
}

function has(db: Database.Database, table: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
}

function subscriptions(file: string) {
  const db = database(file);
  if (!has(db, 'ACTIVEMQ_ACKS') || !has(db, 'ACTIVEMQ_MSGS')) return [];
  const count = db.prepare(COUNT_PENDING_SQLITE);
  const rows = db.prepare(SELECT_SUBSCRIPTIONS).all() as Array<Record<string, unknown>>;
  return toSubscriptions(rows.map((r) => ({ ...r, PENDING: (count.get(r.CONTAINER, r.LAST_ACKED_ID ?? 0) as { PENDING: number }).PENDING })));
}

function inspect(file: string) {
  const db = database(file);
  const lock = has(db, 'ACTIVEMQ_LOCK') ? (db.prepare(SELECT_LOCK_ROW).all() as Array<Record<string, unknown>>) : [];
  const depths = has(db, 'ACTIVEMQ_MSGS') ? (db.prepare(SELECT_DEPTHS).all() as Array<Record<string, unknown>>) : [];
  return toSnapshot(lock, depths);
}

createInterface({ input: process.stdin }).on('line', (line) => {
  let id: unknown = null;
  try {
    const request = JSON.parse(line) as { id: unknown; file: string; query?: 'subscriptions' };
    id = request.id;
    const answer = request.query === 'subscriptions' ? { subscriptions: subscriptions(request.file) } : { snapshot: inspect(request.file) };
    process.stdout.write(JSON.stringify({ id, ok: true, ...answer }) + '\n');
  } catch (error) {
    process.stdout.write(JSON.stringify({ id, ok: false, error: error instanceof Error ? error.message : String(error) }) + '\n');
  }
}).on('close', () => {
  for (const db of open.values()) db.close();
});
