import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LockKeeper } from '../../../broker/lock/lock-keeper.js';
import { runLockerContract, type LockerFixture, type LockerFixtureOptions } from '../../../broker/lock/locker.contract.js';
import type { Locker } from '../../../broker/lock/locker.js';
import { PostgresDatabaseLocker } from '../../../broker/lock/postgres-database-locker.js';
import { PostgresLeaseDatabaseLocker } from '../../../broker/lock/postgres-lease-database-locker.js';
import type { PostgresTarget } from '../../../broker/lock/postgres-session.js';
import { runPersistenceAdapterContract } from '../../../broker/store/persistence-adapter.contract.js';
import { runPipelineContract } from '../../../broker/store/postgres/pipeline.contract.js';
import { createPostgresPersistenceAdapter } from '../../../broker/store/postgres/postgres-persistence-adapter.js';
import { createSystemClock } from '../../../broker/util/clock.js';
import { FencedError } from '../../../broker/util/errors.js';
import { silentLogger } from '../../../broker/util/log.js';
import { startLinkProxy } from '../../faults/link-proxy.js';
import { startPgMemServer, type PgMemServer } from './pgmem-server.js';

// The shared contract suites, run by the real broker code against pg-mem served over the wire.
let server: PgMemServer;
beforeAll(async () => {
  server = await startPgMemServer();
});
afterAll(async () => {
  await server.stop();
});

const connection = () => ({ host: server.host, port: server.port, database: 'pgmem', user: 'pgmem', password: 'pgmem' });
const freshSchema = () => `t_${randomBytes(6).toString('hex')}`;

async function withClient<T>(body: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(connection());
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}

runPersistenceAdapterContract('pg-mem over the wire', async () => {
  const schema = freshSchema();
  return {
    newAdapter: () => createPostgresPersistenceAdapter({ ...connection(), schema, createTables: true, logger: silentLogger }),
    setEpoch: (epoch: number) => withClient(async (c) => void (await c.query(`UPDATE ${schema}.ACTIVEMQ_LOCK SET EPOCH = $1 WHERE ID = 1`, [epoch]))),
    destroy: () => withClient(async (c) => void (await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`))),
  };
});

runPipelineContract('pg-mem over the wire', () => ({ config: connection }));

async function lockerFixture(make: (target: PostgresTarget, holderId: string, options: LockerFixtureOptions) => Locker): Promise<LockerFixture> {
  const target: PostgresTarget = { kind: 'postgres', ...connection(), schema: freshSchema() };
  const lockers: Locker[] = [];
  const table = `${target.schema}.ACTIVEMQ_LOCK`;
  return {
    async makeLocker(holderId, options = {}) {
      const locker = make(target, holderId, options);
      lockers.push(locker);
      await locker.start();
      return locker;
    },
    readCommittedEpoch: () => withClient(async (c) => Number((await c.query<{ epoch: string }>(`SELECT EPOCH FROM ${table} WHERE ID = 1`)).rows[0]?.epoch)),
    expireLease: () => withClient(async (c) => void (await c.query(`UPDATE ${table} SET TIME = 1 WHERE ID = 1`))),
    async cleanup() {
      for (const locker of lockers.splice(0)) await locker.stop();
      await withClient(async (c) => void (await c.query(`DROP SCHEMA IF EXISTS ${target.schema} CASCADE`)));
    },
  };
}

const databaseLocker = (target: PostgresTarget, id: string, lockKeepAlivePeriodMs: number, failIfLocked = false) =>
  new PostgresDatabaseLocker({ target, brokerName: id, clock: createSystemClock(), logger: silentLogger, renewPeriodMs: lockKeepAlivePeriodMs, retryIntervalMs: 1000, failIfLocked });

runLockerContract('pg-mem database-locker (emulated row lock)', () => lockerFixture((target, id, options) => databaseLocker(target, id, 2000, options.failIfLocked)), {
  lease: false,
});

describe('PostgresDatabaseLocker on pg-mem', () => {
  it('loses the lock through the emulated idle_in_transaction_session_timeout when its keep-alives stop', async () => {
    const fixture = await lockerFixture((target, id) => databaseLocker(target, id, 300));
    try {
      const stalled = await fixture.makeLocker('broker-a');
      const waiter = await fixture.makeLocker('broker-b');
      const first = await stalled.acquire(new AbortController().signal);
      // One confirming keep-alive, then none (renewPeriodMs 0): the keeper's local deadline runs out.
      const keeper = new LockKeeper({ locker: stalled, clock: createSystemClock(), logger: silentLogger, renewPeriodMs: 0 });
      await keeper.start(first);
      const fence = keeper.fence();
      const second = await waiter.acquire(new AbortController().signal);
      // The emulated idle timeout released the lock only after the stalled master's own deadline.
      expect(() => fence.assertHeld()).toThrow(FencedError);
      await keeper.stop();
      expect(second.epoch).toBe(first.epoch + 1);
      expect((await stalled.keepAlive()).kind).toBe('lost');
    } finally {
      await fixture.cleanup();
    }
  });

  it('fences a master whose database link is black-holed before another broker takes the lock', async () => {
    let target: PostgresTarget | null = null;
    const fixture = await lockerFixture((t, id) => {
      target = t;
      return databaseLocker(t, id, 300);
    });
    const waiter = await fixture.makeLocker('broker-b');
    const proxy = await startLinkProxy({ targetHost: server.host, targetPort: server.port });
    const cutOff = databaseLocker({ ...(target as unknown as PostgresTarget), host: '127.0.0.1', port: proxy.port }, 'broker-a', 300);
    const keeper = new LockKeeper({ locker: cutOff, clock: createSystemClock(), logger: silentLogger, renewPeriodMs: 300 });
    try {
      await cutOff.start();
      await keeper.start(await cutOff.acquire(new AbortController().signal));
      const fence = keeper.fence();
      proxy.cut('blackhole');
      await waiter.acquire(new AbortController().signal);
      expect(() => fence.assertHeld()).toThrow(FencedError);
    } finally {
      await keeper.stop();
      await proxy.stop();
      await cutOff.stop();
      await fixture.cleanup();
    }
  });
});

runLockerContract(
  'pg-mem lease-database-locker',
  () =>
    lockerFixture(
      (target, id, options) =>
        new PostgresLeaseDatabaseLocker({
          target,
          leaseHolderId: id,
          clock: createSystemClock(),
          logger: silentLogger,
          leaseDurationMs: 600,
          retryIntervalMs: 600,
          maxAllowableDiffFromDbTimeMs: 0,
          failIfLocked: options.failIfLocked ?? false,
        }),
    ),
  { lease: true },
);
