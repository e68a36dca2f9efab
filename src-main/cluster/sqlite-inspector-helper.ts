import Database from 'better-sqlite3';
import { createInterface } from 'node:readline';
import { SELECT_DEPTHS, SELECT_LOCK_ROW, toSnapshot } from './store-inspector.js';

/**
 * A plain-Node child process that reads an SQLite store for the lab host: better-sqlite3 cannot be
 * loaded in Electron's main process (ENVIRONMENT.md), so every shell reads SQLite through this one
 * helper. Requests and answers are JSON lines: `{"id":1,"file":"/x.sqlite"}` →
 * `{"id":1,"ok":true,"snapshot":{...}}` or `{"id":1,"ok":false,"error":"..."}`.
 */

const open = new Map<string, Database.Database>();

function inspect(file: string) {
  let db = open.get(file);
  if (!db) {
    db = new Database(file, { readonly: true, fileMustExist: true, timeout: 200 });
    open.set(file, db);
  }
  const has = (table: string) => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
  const lock = has('ACTIVEMQ_LOCK') ? (db.prepare(SELECT_LOCK_ROW).all() as Array<Record<string, unknown>>) : [];
  const depths = has('ACTIVEMQ_MSGS') ? (db.prepare(SELECT_DEPTHS).all() as Array<Record<string, unknown>>) : [];
  return toSnapshot(lock, depths);
}

createInterface({ input: process.stdin }).on('line', (line) => {
  let id: unknown = null;
  try {
    const request = JSON.parse(line) as { id: unknown; file: string };
    id = request.id;
    process.stdout.write(JSON.stringify({ id, ok: true, snapshot: inspect(request.file) }) + '\n');
  } catch (error) {
    process.stdout.write(JSON.stringify({ id, ok: false, error: error instanceof Error ? error.message : String(error) }) + '\n');
  }
}).on('close', () => {
  for (const db of open.values()) db.close();
});
