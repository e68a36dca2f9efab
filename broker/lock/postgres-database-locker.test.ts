import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createSystemClock } from '../util/clock.js';
import { FencedError } from '../util/errors.js';
import { LockKeeper } from './lock-keeper.js';
import { startCuttableProxy } from './link-proxy.fixture.js';
import { silentLogger } from '../util/log.js';
import { runLockerContract } from './locker.contract.js';
import { PostgresDatabaseLocker } from './postgres-database-locker.js';
import { createPostgresLockerFixture, PG_URL } from './postgres-locker.fixture.js';
import type { PostgresTarget } from './postgres-session.js';

const makeLocker = (target: PostgresTarget, holderId: string, lockKeepAlivePeriodMs = 300, failIfLocked = false, retryIntervalMs = 1000) =>
  new PostgresDatabaseLocker({
    target,
    brokerName: holderId,
    clock: createSystemClock(),
    logger: silentLogger,
    renewPeriodMs: lockKeepAlivePeriodMs,
    retryIntervalMs,
    failIfLocked,
  });

runLockerContract('PostgreSQL database-locker', () => createPostgresLockerFixture((target, id, options) => makeLocker(target, id, 2000, options.failIfLocked)), {
  lease: false,
});

/** A separate process holding row 2 FOR UPDATE the way PostgresDatabaseLocker does, until killed. */
function spawnRowHolder(schema: string) {
  const script = `
    const pg = require('pg');
    const client = new pg.Client({ connectionString: process.argv[1] });
    (async () => {
      await client.connect();
      await client.query('SET search_path TO ' + process.argv[2]);
      await client.query('BEGIN');
      await client.query('SELECT * FROM ACTIVEMQ_LOCK WHERE ID = 2 FOR UPDATE');
      process.stdout.write('held\\n');
      setInterval(() => client.query('UPDATE ACTIVEMQ_LOCK SET TIME = 0 WHERE ID = 2'), 100);
    })();
  `;
  return spawn(process.execPath, ['-e', script, PG_URL, schema], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
}

describe('PostgresDatabaseLocker', () => {
  it('fences a master cut off from the database before the server gives the lock to another broker', async () => {
    const fixture = await createPostgresLockerFixture((target, id) => makeLocker(target, id, 300));
    const proxy = await startCuttableProxy(fixture.target.host, fixture.target.port);
    const cutOff = makeLocker({ ...fixture.target, host: '127.0.0.1', port: proxy.port }, 'broker-a', 300);
    const keeper = new LockKeeper({ locker: cutOff, clock: createSystemClock(), logger: silentLogger, renewPeriodMs: 300 });
    try {
      const waiter = await fixture.makeLocker('broker-b');
      await cutOff.start();
      await keeper.start(await cutOff.acquire(new AbortController().signal));
      const fence = keeper.fence();
      const reasons: string[] = [];
      keeper.onLost((reason) => reasons.push(reason));
      proxy.cut();
      await waiter.acquire(new AbortController().signal);
      // The moment another broker holds the lock, the cut-off master can no longer commit.
      expect(() => fence.assertHeld()).toThrow(FencedError);
      expect(reasons).toHaveLength(1);
    } finally {
      await keeper.stop();
      await proxy.close();
      await cutOff.stop();
      await fixture.cleanup();
    }
  });

  it('takes over at once, not after a timeout, when the holding process is killed with SIGKILL', async () => {
    // A one-minute lock_timeout: a takeover driven by the waiter's retry instead of the server freeing
    // the dead session would outlast the test's timeout.
    const fixture = await createPostgresLockerFixture((target, id) => makeLocker(target, id, 300, false, 60_000));
    const child = spawnRowHolder(fixture.target.schema);
    try {
      const waiter = await fixture.makeLocker('broker-b');
      await once(child.stdout!, 'data');
      const pending = waiter.acquire(new AbortController().signal);
      let settled = false;
      void pending.finally(() => (settled = true)).catch(() => undefined);
      // Still waiting: the server shows its session queued behind the holder's row lock.
      await fixture.rowLockWaiter();
      expect(settled).toBe(false);
      child.kill('SIGKILL');
      // At once: the server frees a dead session's locks (how fast is measured by bench/, not here).
      const acquired = await pending;
      expect(await fixture.readCommittedEpoch()).toBe(acquired.epoch);
    } finally {
      child.kill('SIGKILL');
      await fixture.cleanup();
    }
  });

  it('loses the lock through idle_in_transaction_session_timeout when its keep-alives stop', async () => {
    const fixture = await createPostgresLockerFixture((target, id) => makeLocker(target, id, 300));
    try {
      const stalled = await fixture.makeLocker('broker-a');
      const waiter = await fixture.makeLocker('broker-b');
      expect(stalled.safeHoldMs).toBe(1000);
      const first = await stalled.acquire(new AbortController().signal);
      // One confirming keep-alive, then none (renewPeriodMs 0): the keeper's local deadline runs out.
      const keeper = new LockKeeper({ locker: stalled, clock: createSystemClock(), logger: silentLogger, renewPeriodMs: 0 });
      await keeper.start(first);
      const fence = keeper.fence();
      const second = await waiter.acquire(new AbortController().signal);
      // The server released only after the stalled master's own deadline had passed (and long before
      // a TCP timeout would: the test's timeout guards that).
      expect(() => fence.assertHeld()).toThrow(FencedError);
      await keeper.stop();
      expect(second.epoch).toBe(first.epoch + 1);
      expect((await stalled.keepAlive()).kind).toBe('lost');
    } finally {
      await fixture.cleanup();
    }
  });

  it('keeps the lock without keep-alives when lockKeepAlivePeriod is 0 (no idle timeout, no safe hold time)', async () => {
    const fixture = await createPostgresLockerFixture((target, id) => makeLocker(target, id, 0));
    try {
      const holder = await fixture.makeLocker('broker-a');
      expect(holder.safeHoldMs).toBeNull();
      await holder.acquire(new AbortController().signal);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await holder.keepAlive()).kind).toBe('renewed');
    } finally {
      await fixture.cleanup();
    }
  });
});
