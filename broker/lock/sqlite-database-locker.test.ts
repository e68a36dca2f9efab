import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { createSystemClock } from '../util/clock.js';
import { silentLogger } from '../util/log.js';
import { runLockerContract, type LockerFixtureOptions } from './locker.contract.js';
import { SqliteDatabaseLocker } from './sqlite-database-locker.js';
import { createSqliteLockerFixture } from './sqlite-locker.fixture.js';

const makeLocker = (storeFile: string, holderId: string, options: LockerFixtureOptions = {}) =>
  new SqliteDatabaseLocker({ storeFile, brokerName: holderId, clock: createSystemClock(), logger: silentLogger, retryIntervalMs: 1000, ...options });

runLockerContract('SQLite database-locker', async () => createSqliteLockerFixture(makeLocker), { lease: false });

/** A separate process that holds the lock file the way SqliteDatabaseLocker does, until killed. */
function spawnLockFileHolder(lockFile: string) {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(process.argv[1], { timeout: 0 });
    db.exec('BEGIN EXCLUSIVE');
    db.exec('CREATE TABLE IF NOT EXISTS ACTIVEMQ_LOCK (ID INTEGER NOT NULL PRIMARY KEY, TIME INTEGER, BROKER_NAME VARCHAR(250), EPOCH INTEGER NOT NULL DEFAULT 0)');
    db.exec("INSERT OR REPLACE INTO ACTIVEMQ_LOCK (ID, TIME, BROKER_NAME) VALUES (1, 0, 'child')");
    process.stdout.write('held\\n');
    setInterval(() => db.prepare('UPDATE ACTIVEMQ_LOCK SET TIME = ? WHERE ID = 1').run(Date.now()), 100);
  `;
  return spawn(process.execPath, ['-e', script, lockFile], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
}

describe('SqliteDatabaseLocker across processes', () => {
  let cleanup: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await cleanup?.();
    cleanup = null;
  });

  it('takes over at once, not after a timeout, when the holding process is killed with SIGKILL', async () => {
    const fixture = createSqliteLockerFixture(makeLocker);
    cleanup = fixture.cleanup;
    const waiter = (await fixture.makeLocker('broker-b')) as SqliteDatabaseLocker;
    const child = spawnLockFileHolder(waiter.lockFile);
    await once(child.stdout!, 'data');
    const pending = waiter.acquire(new AbortController().signal);
    const early = await Promise.race([pending, new Promise((resolve) => setTimeout(() => resolve('pending'), 300))]);
    expect(early).toBe('pending');
    child.kill('SIGKILL');
    // The waiter polls every 20 ms; how fast it takes over is measured by bench/, not here.
    const acquired = await pending;
    expect(acquired.epoch).toBe(1);
    expect(await fixture.readCommittedEpoch()).toBe(1);
    expect((await waiter.keepAlive()).kind).toBe('renewed');
  });

  it('leaves the main store file writable while the lock is held', async () => {
    const fixture = createSqliteLockerFixture(makeLocker);
    cleanup = fixture.cleanup;
    const holder = await fixture.makeLocker('broker-a');
    await holder.acquire(new AbortController().signal);
    await fixture.expireLease();
    expect(await fixture.readCommittedEpoch()).toBe(1);
  });
});
