import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locker } from './locker.js';
import type { LockerFixture, LockerFixtureOptions } from './locker.contract.js';

/** A fresh store file in a temp dir; lockers made on it are stopped and the dir removed in cleanup. */
export function createSqliteLockerFixture(make: (storeFile: string, holderId: string, options: LockerFixtureOptions) => Locker): LockerFixture & { storeFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'failover-lab-lock-'));
  const storeFile = join(dir, 'store.db');
  const lockers: Locker[] = [];
  const withDb = <T>(use: (db: Database.Database) => T): T => {
    const db = new Database(storeFile, { timeout: 2000 });
    try {
      return use(db);
    } finally {
      db.close();
    }
  };
  return {
    storeFile,
    async makeLocker(holderId, options = {}) {
      const locker = make(storeFile, holderId, options);
      lockers.push(locker);
      await locker.start();
      return locker;
    },
    async readCommittedEpoch() {
      return withDb((db) => Number((db.prepare('SELECT EPOCH FROM ACTIVEMQ_LOCK WHERE ID = 1').get() as { EPOCH: number }).EPOCH));
    },
    async expireLease() {
      withDb((db) => db.prepare('UPDATE ACTIVEMQ_LOCK SET TIME = 1 WHERE ID = 1').run());
    },
    async cleanup() {
      for (const locker of lockers.splice(0)) await locker.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
