import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runPipeline, type PipelineStep } from './pipeline.js';

/** Where the suite runs: a connection factory for one server (real PostgreSQL or the lab's pg-mem). */
export interface PipelineServer {
  config(): pg.ClientConfig;
}

const INSERT: Omit<PipelineStep, 'values'> = { name: 'c_insert', text: 'INSERT INTO t (name, n, b) VALUES ($1, $2, $3) RETURNING id' };
const FAIL_IF: Omit<PipelineStep, 'values'> = {
  name: 'c_fail_if',
  text: "SELECT CAST(CASE WHEN $1 = 'ok' THEN '1' ELSE 'boom' END AS INTEGER) AS x",
};

/**
 * What the store's group commits rely on (pipeline.ts): the steps of one pipeline commit together
 * or not at all, results come back per step in order, values travel as parameters (bytes as they
 * are), and a connection prepares each statement once and stays usable after a failure.
 */
export function runPipelineContract(name: string, server: () => PipelineServer): void {
  describe(`pipelined prepared statements: ${name}`, () => {
    let client: pg.Client;
    const schema = `p_${Math.random().toString(36).slice(2, 10)}`;

    beforeEach(async () => {
      client = new pg.Client(server().config());
      client.on('error', () => undefined);
      await client.connect();
      await client.query(`CREATE SCHEMA ${schema}`);
      await client.query(`SET search_path TO ${schema}`);
      await client.query('CREATE TABLE t (id BIGSERIAL PRIMARY KEY, name VARCHAR(50) NOT NULL, n BIGINT, b BYTEA)');
    });

    afterEach(async () => {
      await client.query(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
      await client.end().catch(() => undefined);
    });

    const names = async () => (await client.query<{ name: string }>('SELECT name FROM t ORDER BY id')).rows.map((r) => r.name);

    it('runs every step in one transaction and answers each step in order', async () => {
      const bytes = Buffer.from([0, 39, 92, 255, 10]);
      const results = await runPipeline(client, [
        { ...INSERT, values: ['a', '1', bytes] },
        { ...INSERT, values: ["b'); DROP TABLE t; --", null, Buffer.alloc(0)] },
        { ...FAIL_IF, values: ['ok'] },
      ]);
      expect(results.map((r) => r.rows.length)).toEqual([1, 1, 1]);
      expect(Number(results[1]?.rows[0]?.[0])).toBeGreaterThan(Number(results[0]?.rows[0]?.[0]));
      expect(results[2]?.rows[0]).toEqual(['1']);
      expect(results[0]?.command).toMatch(/^INSERT 0 1$/);
      expect(await names()).toEqual(['a', "b'); DROP TABLE t; --"]);
      const stored = await client.query<{ b: Buffer }>("SELECT b FROM t WHERE name = 'a'");
      expect([...(stored.rows[0]?.b ?? [])]).toEqual([...bytes]);
    });

    it('commits nothing when a later step fails, and the connection keeps working', async () => {
      await expect(
        runPipeline(client, [
          { ...INSERT, values: ['first', '1', null] },
          { ...FAIL_IF, values: ['no'] },
          { ...INSERT, values: ['never', '2', null] },
        ]),
      ).rejects.toThrow(/boom/);
      expect(await names()).toEqual([]);
      await runPipeline(client, [{ ...INSERT, values: ['after', '3', null] }]);
      expect(await names()).toEqual(['after']);
    });

    it('rolls back a failure on the first step too, and on a constraint', async () => {
      await expect(runPipeline(client, [{ ...FAIL_IF, values: ['no'] }, { ...INSERT, values: ['x', '1', null] }])).rejects.toThrow(/boom/);
      await expect(runPipeline(client, [{ ...INSERT, values: ['y', '1', null] }, { ...INSERT, values: [null, '2', null] }])).rejects.toThrow();
      expect(await names()).toEqual([]);
    });

    it('prepares each statement once per connection', async () => {
      const parses: string[] = [];
      const connection = (client as unknown as { connection: { parse(q: { name: string }): void } }).connection;
      const parse = connection.parse.bind(connection);
      connection.parse = (q) => {
        parses.push(q.name);
        parse(q);
      };
      for (let i = 0; i < 3; i++) await runPipeline(client, [{ ...INSERT, values: [`m${i}`, null, null] }, { ...FAIL_IF, values: ['ok'] }]);
      expect(parses.filter((p) => p.startsWith('c_'))).toEqual(['c_insert', 'c_fail_if']);
      expect(await names()).toEqual(['m0', 'm1', 'm2']);
    });
  });
}
