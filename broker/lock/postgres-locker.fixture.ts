import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Locker } from './locker.js';
import type { LockerFixture, LockerFixtureOptions } from './locker.contract.js';
import type { PostgresTarget } from './postgres-session.js';

export const PG_URL = process.env.FAILOVER_LAB_PG_URL ?? 'postgres://failover_lab:failover_lab@127.0.0.1:5432/failover_lab';

/** A PostgresTarget on the test server with a fresh schema name (the lockers create the schema). */
export function freshPostgresTarget(): PostgresTarget {
  const url = new URL(PG_URL);
  return {
    kind: 'postgres',
    host: url.hostname,
    port: Number(url.port || 5432),
    database: url.pathname.slice(1),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    schema: `t_${randomBytes(6).toString('hex')}`,
  };
}

/** Lockers on a fresh schema; cleanup stops them and drops the schema. */
export async function createPostgresLockerFixture(
  make: (target: PostgresTarget, holderId: string, options: LockerFixtureOptions) => Locker,
): Promise<LockerFixture & { target: PostgresTarget; admin: pg.Client; rowLockWaiter(): Promise<void> }> {
  const target = freshPostgresTarget();
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  const lockers: Locker[] = [];
  const table = `${target.schema}.ACTIVEMQ_LOCK`;
  return {
    target,
    admin,
    async makeLocker(holderId, options = {}) {
      const locker = make(target, holderId, options);
      lockers.push(locker);
      await locker.start();
      return locker;
    },
    async readCommittedEpoch() {
      const { rows } = await admin.query<{ epoch: string }>(`SELECT EPOCH FROM ${table} WHERE ID = 1`);
      return Number(rows[0]?.epoch);
    },
    async rowLockWaiter() {
      // A session queued for a row of this schema's lock table holds the row's tuple lock and
      // waits (wait_event_type Lock) for the holder's transaction: an observable state, polled.
      for (;;) {
        const { rows } = await admin.query<{ n: string }>(
          `SELECT count(*) AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'tuple' AND l.relation = to_regclass($1) AND a.wait_event_type = 'Lock'`,
          [`${target.schema}.activemq_lock`],
        );
        if (Number(rows[0]?.n) > 0) return;
      }
    },
    async expireLease() {
      await admin.query(`UPDATE ${table} SET TIME = 1 WHERE ID = 1`);
    },
    async cleanup() {
      for (const locker of lockers.splice(0)) await locker.stop();
      await admin.query(`DROP SCHEMA IF EXISTS ${target.schema} CASCADE`);
      await admin.end();
    },
  };
}
