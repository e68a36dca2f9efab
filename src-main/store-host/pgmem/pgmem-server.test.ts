import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startPgMemServer, type PgMemServer } from './pgmem-server.js';

let server: PgMemServer;
const clients: pg.Client[] = [];
let schemaCounter = 0;

beforeAll(async () => {
  server = await startPgMemServer();
});
afterEach(() => vi.useRealTimers());
afterAll(async () => {
  await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  await server.stop();
});

async function client(schema?: string, target: PgMemServer = server): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: target.url });
  c.on('error', () => undefined);
  clients.push(c);
  await c.connect();
  if (schema) await c.query(`SET search_path TO ${schema}`);
  return c;
}

/** A fresh schema with table `t (id bigserial, name, n bigint, b bytea)` and rows 1 ('one') and 2 ('two'). */
async function freshTable(): Promise<string> {
  const schema = `s${++schemaCounter}`;
  const c = await client();
  await c.query(`CREATE SCHEMA ${schema}`);
  await c.query(`SET search_path TO ${schema}`);
  await c.query('CREATE TABLE t (id BIGSERIAL PRIMARY KEY, name VARCHAR(50) NOT NULL, n BIGINT, b BYTEA)');
  await c.query("INSERT INTO t (name) VALUES ('one'), ('two')");
  await c.end();
  return schema;
}

/**
 * The server's statement and session timers on a fake clock (sockets stay real), so a test moves
 * time itself and checks a timeout neither fires early nor late, with no wall-clock bound.
 */
const fakeServerTimers = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
/** Yields to I/O until the server has armed `count` timers (the query reached it and is waiting). */
async function timersArmed(count: number): Promise<void> {
  while (vi.getTimerCount() < count) await new Promise((resolve) => setImmediate(resolve));
}

const settle = <T>(p: Promise<T>, ms: number) => Promise.race([p, new Promise<'pending'>((r) => setTimeout(() => r('pending'), ms))]);

describe('pg-mem wire server: protocol', () => {
  it('answers simple-protocol queries, several statements in one string', async () => {
    const c = await client(await freshTable());
    const results = (await c.query("SELECT name FROM t WHERE id = 1; SELECT 'x' AS y")) as unknown as pg.QueryResult[];
    expect(results.map((r) => r.rows)).toEqual([[{ name: 'one' }], [{ y: 'x' }]]);
  });

  it('runs parameterized INSERT, SELECT, UPDATE and DELETE ... RETURNING over the extended protocol', async () => {
    const c = await client(await freshTable());
    const inserted = await c.query<{ id: number }>('INSERT INTO t (name, n) VALUES ($1, $2) RETURNING id', ['three', 3]);
    expect(inserted.rows).toEqual([{ id: 3 }]);
    expect((await c.query('SELECT name, n FROM t WHERE id = $1', [3])).rows).toEqual([{ name: 'three', n: 3 }]);
    expect((await c.query('UPDATE t SET name = $1 WHERE id = $2 RETURNING name', ['drei', 3])).rows).toEqual([{ name: 'drei' }]);
    const deleted = await c.query('DELETE FROM t WHERE id = $1 RETURNING id', [3]);
    expect(deleted.rowCount).toBe(1);
    expect((await c.query({ name: 'byName', text: 'SELECT COUNT(*) AS n FROM t WHERE name = $1', values: ['one'] })).rows).toEqual([{ n: '1' }]);
    expect((await c.query({ name: 'byName', text: 'SELECT COUNT(*) AS n FROM t WHERE name = $1', values: ['two'] })).rows).toEqual([{ n: '1' }]);
  });

  it('round-trips BYTEA, BIGINT beyond 2^31 and non-ASCII text', async () => {
    const c = await client(await freshTable());
    const bytes = Buffer.from([0, 1, 127, 128, 255]);
    await c.query('INSERT INTO t (name, n, b) VALUES ($1, $2, $3)', ['żółw ✓', 1712345678901, bytes]);
    const { rows } = await c.query('SELECT name, n, b FROM t WHERE name = $1', ['żółw ✓']);
    expect(rows[0]).toEqual({ name: 'żółw ✓', n: 1712345678901, b: bytes });
  });

  it('reports an error with its SQLSTATE and keeps the connection usable', async () => {
    const c = await client(await freshTable());
    await expect(c.query('SELECT nope FROM t')).rejects.toMatchObject({ code: '42703' });
    await expect(c.query('SELECT * FROM t WHERE id = $1 AND nope = $2', [1, 2])).rejects.toMatchObject({ code: '42703' });
    await expect(c.query('INSERT INTO t (name) VALUES ($1)', [null])).rejects.toMatchObject({ code: '23502' });
    await expect(c.query('SELEC 1')).rejects.toMatchObject({ code: '42601' });
    expect((await c.query('SELECT name FROM t WHERE id = $1', [2])).rows).toEqual([{ name: 'two' }]);
  });

  it('gives the clock in milliseconds and accepts the settings the lockers send', async () => {
    const c = await client();
    await c.query('SET statement_timeout = 5000');
    await c.query("SET application_name = 'broker1'");
    await c.query('SET LOCAL lock_timeout = 100');
    const before = Date.now();
    const { rows } = await c.query<{ ms: number; pid: number }>('SELECT (extract(epoch from clock_timestamp()) * 1000)::bigint AS ms, pg_backend_pid() AS pid');
    expect(Number(rows[0]?.ms)).toBeGreaterThanOrEqual(before);
    expect(Number(rows[0]?.ms)).toBeLessThanOrEqual(Date.now());
    expect(rows[0]?.pid).toBeGreaterThan(0);
    expect((await c.query('SHOW application_name')).rows).toEqual([{ application_name: 'broker1' }]);
  });

  it('keeps schemas apart: search_path, qualified names, DROP SCHEMA', async () => {
    const [a, b] = [await freshTable(), await freshTable()];
    const c = await client(a);
    await c.query("UPDATE t SET name = 'changed' WHERE id = 1");
    expect((await c.query(`SELECT name FROM ${b}.t WHERE id = 1`)).rows).toEqual([{ name: 'one' }]);
    await c.query(`DROP SCHEMA ${b} CASCADE`);
    await expect(c.query(`SELECT name FROM ${b}.t`)).rejects.toMatchObject({ severity: 'ERROR' });
  });

  it('serves many concurrent clients', async () => {
    const schema = await freshTable();
    const many = await Promise.all(Array.from({ length: 30 }, () => client(schema)));
    await Promise.all(many.map((c, i) => c.query('INSERT INTO t (name) VALUES ($1)', [`c${i}`])));
    const { rows } = await many[0]!.query('SELECT COUNT(*) AS n FROM t');
    expect(rows).toEqual([{ n: '32' }]);
    expect(server.sessions()).toBeGreaterThanOrEqual(30);
    await Promise.all(many.map((c) => c.end()));
  });
});

describe('pg-mem wire server: transactions', () => {
  it('hides a transaction from other sessions until COMMIT, and ROLLBACK discards it', async () => {
    const schema = await freshTable();
    const [a, b] = [await client(schema), await client(schema)];
    await a.query('BEGIN');
    await a.query("INSERT INTO t (name) VALUES ('pending')");
    expect((await b.query("SELECT id FROM t WHERE name = 'pending'")).rowCount).toBe(0);
    await a.query('COMMIT');
    expect((await b.query("SELECT id FROM t WHERE name = 'pending'")).rowCount).toBe(1);
    await a.query('BEGIN');
    await a.query("DELETE FROM t WHERE name = 'pending'");
    await a.query('ROLLBACK');
    expect((await b.query("SELECT id FROM t WHERE name = 'pending'")).rowCount).toBe(1);
  });

  it('commits two sessions writing different tables at once, and fails the second writer of one table with 40001', async () => {
    const schema = await freshTable();
    const [a, b] = [await client(schema), await client(schema)];
    await a.query('CREATE TABLE other (id INT PRIMARY KEY)');
    await a.query('BEGIN');
    await b.query('BEGIN');
    await a.query('INSERT INTO other (id) VALUES (1)');
    await b.query("INSERT INTO t (name) VALUES ('b')");
    await a.query('COMMIT');
    await b.query('COMMIT');
    await a.query('BEGIN');
    await b.query('BEGIN');
    await a.query('INSERT INTO other (id) VALUES (2)');
    await b.query('INSERT INTO other (id) VALUES (3)');
    await a.query('COMMIT');
    await expect(b.query('COMMIT')).rejects.toMatchObject({ code: '40001' });
    expect((await b.query('SELECT id FROM other ORDER BY id')).rows).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('runs a multi-statement simple query as one implicit transaction: an error undoes the earlier statements', async () => {
    const c = await client(await freshTable());
    await expect(c.query("INSERT INTO t (name) VALUES ('first'); INSERT INTO t (name) VALUES (NULL)")).rejects.toMatchObject({ code: '23502' });
    expect((await c.query("SELECT id FROM t WHERE name = 'first'")).rowCount).toBe(0);
    await c.query("INSERT INTO t (name) VALUES ('first'); INSERT INTO t (name) VALUES ('second')");
    expect((await c.query("SELECT COUNT(*) AS n FROM t WHERE name IN ('first', 'second')")).rows).toEqual([{ n: '2' }]);
  });

  it("decodes hex BYTEA literals ('\\x..' and E'\\\\x..')", async () => {
    const c = await client(await freshTable());
    await c.query("INSERT INTO t (name, b) VALUES ('std', '\\x00ff10'::bytea), ('e', E'\\\\x0a0b'::bytea)");
    const { rows } = await c.query("SELECT name, b FROM t WHERE name IN ('std', 'e') ORDER BY id");
    expect(rows).toEqual([{ name: 'std', b: Buffer.from([0, 255, 16]) }, { name: 'e', b: Buffer.from([10, 11]) }]);
  });

  it('aborts a transaction after an error until ROLLBACK (25P02)', async () => {
    const c = await client(await freshTable());
    await c.query('BEGIN');
    await expect(c.query('SELECT nope FROM t')).rejects.toMatchObject({ code: '42703' });
    await expect(c.query('SELECT 1')).rejects.toMatchObject({ code: '25P02' });
    await c.query('ROLLBACK');
    expect((await c.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });
});

describe('pg-mem wire server: emulated row locks', () => {
  const lockRow = 'SELECT * FROM t WHERE id = $1 FOR UPDATE';

  for (const end of ['COMMIT', 'ROLLBACK', 'socket close'] as const) {
    it(`blocks a second FOR UPDATE on the same row until the holder's ${end}`, async () => {
      const schema = await freshTable();
      const [a, b] = [await client(schema), await client(schema)];
      await a.query('BEGIN');
      await a.query(lockRow, [1]);
      await b.query('BEGIN');
      expect((await b.query('SELECT * FROM t WHERE id = 2 FOR UPDATE')).rowCount).toBe(1);
      const waiting = b.query(lockRow, [1]);
      expect(await settle(waiting, 200)).toBe('pending');
      if (end === 'socket close') await a.end();
      else await a.query(end);
      expect((await waiting).rowCount).toBe(1);
    });
  }

  it('fails FOR UPDATE NOWAIT at once with 55P03, and lock_timeout after the wait', async () => {
    const schema = await freshTable();
    const [a, b] = [await client(schema), await client(schema)];
    await a.query('BEGIN');
    await a.query(lockRow, [1]);
    await expect(b.query('SELECT * FROM t WHERE id = 1 FOR UPDATE NOWAIT')).rejects.toMatchObject({ code: '55P03' });
    await b.query('SET lock_timeout = 150');
    fakeServerTimers();
    const waiting = b.query(lockRow, [1]);
    waiting.catch(() => undefined);
    await timersArmed(1);
    vi.advanceTimersByTime(149);
    // Not cancelled before lock_timeout: its timer is still armed.
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(1);
    await expect(waiting).rejects.toMatchObject({ code: '55P03' });
  });

  it('lets FOR SHARE holders share a row while an UPDATE of it waits for all of them', async () => {
    const schema = await freshTable();
    const [a, b, w] = [await client(schema), await client(schema), await client(schema)];
    for (const c of [a, b]) {
      await c.query('BEGIN');
      await c.query('SELECT * FROM t WHERE id = 1 FOR SHARE');
    }
    const update = w.query("UPDATE t SET name = 'w' WHERE id = 1");
    expect(await settle(update, 150)).toBe('pending');
    await a.query('COMMIT');
    expect(await settle(update, 150)).toBe('pending');
    await b.query('COMMIT');
    expect((await update).rowCount).toBe(1);
  });

  it('makes an UPDATE of a locked row wait, then apply to the committed row', async () => {
    const schema = await freshTable();
    const [a, b] = [await client(schema), await client(schema)];
    await a.query('BEGIN');
    await a.query(lockRow, [1]);
    await a.query("UPDATE t SET name = 'by a' WHERE id = 1");
    const update = b.query("UPDATE t SET n = 7 WHERE id = $1 RETURNING name, n", [1]);
    expect(await settle(update, 200)).toBe('pending');
    await a.query('COMMIT');
    expect((await update).rows).toEqual([{ name: 'by a', n: 7 }]);
  });

  it('terminates a session idle in its transaction past idle_in_transaction_session_timeout, releasing its locks', async () => {
    const schema = await freshTable();
    const [a, b] = [await client(schema), await client(schema)];
    let aEnded = false;
    const ended = new Promise((resolve) => a.once('end', resolve)).then(() => (aEnded = true));
    await a.query('SET idle_in_transaction_session_timeout = 300');
    fakeServerTimers();
    await a.query('BEGIN');
    await a.query(lockRow, [1]);
    await b.query('BEGIN');
    let bLocked = false;
    const locked = b.query(lockRow, [1]).then(() => (bLocked = true));
    // Only a's idle timer is armed: b waits for the row with no timeout of its own.
    await timersArmed(1);
    vi.advanceTimersByTime(299);
    expect(vi.getTimerCount()).toBe(1);
    expect(aEnded || bLocked).toBe(false);
    vi.advanceTimersByTime(1);
    await ended;
    await locked;
  });

  it('drops every session on dropAllSessions, rolling back their transactions and locks', async () => {
    const schema = await freshTable();
    const [a, b] = [await client(schema), await client(schema)];
    await a.query('BEGIN');
    await a.query("INSERT INTO t (name) VALUES ('lost')");
    await a.query(lockRow, [1]);
    await b.query('BEGIN');
    const waiting = b.query(lockRow, [1]);
    expect(server.dropAllSessions()).toBeGreaterThanOrEqual(2);
    await expect(waiting).rejects.toThrow();
    const c = await client(schema);
    expect((await c.query("SELECT id FROM t WHERE name = 'lost'")).rowCount).toBe(0);
    await c.query('BEGIN');
    expect((await c.query('SELECT * FROM t WHERE id = 1 FOR UPDATE NOWAIT')).rowCount).toBe(1);
  });
});

describe('pg-mem wire server: save and load', () => {
  it('restores tables, rows and serial counters from a saved file into a fresh server', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pgmem-'));
    const schema = await freshTable();
    const c = await client(schema);
    await c.query('INSERT INTO t (name, b) VALUES ($1, $2)', ['bytes', Buffer.from([9, 8])]);
    await c.query('DELETE FROM t WHERE id = 3');
    await server.save(join(dir, 'dump.json'));
    const second = await startPgMemServer();
    try {
      await second.load(join(dir, 'dump.json'));
      const d = await client(schema, second);
      expect((await d.query('SELECT id, name FROM t ORDER BY id')).rows).toEqual([{ id: 1, name: 'one' }, { id: 2, name: 'two' }]);
      expect((await d.query("INSERT INTO t (name) VALUES ('next') RETURNING id")).rows).toEqual([{ id: 4 }]);
      await d.end();
    } finally {
      await second.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
