import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { dispatchMarkRow } from '../../broker/destination/dispatch-mark.js';
import { CREATE_SCHEMA_STATEMENTS } from '../../broker/store/sqlite/statements.js';
import { SELECT_SUBSCRIPTIONS, toSnapshot, toSubscriptions } from './store-inspector.js';

describe('toSnapshot', () => {
  it('reads upper-case SQLite columns and lower-case PostgreSQL columns (bigint as text) alike', () => {
    const sqlite = toSnapshot([{ BROKER_NAME: 'broker1', TIME: 1700, EPOCH: 3 }], [{ CONTAINER: 'queue://a', DEPTH: 2 }]);
    const postgres = toSnapshot([{ broker_name: 'broker1', time: '1700', epoch: '3' }], [{ container: 'queue://a', depth: '2' }]);
    expect(sqlite).toEqual({ lock: { holder: 'broker1', time: 1700, epoch: 3 }, queues: [{ destination: 'queue://a', depth: 2 }] });
    expect(postgres).toEqual(sqlite);
  });

  it('reads a free lock row as no holder and a missing row as no lock', () => {
    expect(toSnapshot([{ BROKER_NAME: null, TIME: null, EPOCH: 0 }], []).lock).toEqual({ holder: null, time: null, epoch: 0 });
    expect(toSnapshot([], []).lock).toBeNull();
  });
});

describe('SELECT_SUBSCRIPTIONS', () => {
  it('lists durable subscriptions but not the queues\' dispatch-mark rows kept in the same table', () => {
    const db = new Database(':memory:');
    for (const statement of CREATE_SCHEMA_STATEMENTS) db.exec(statement);
    const insert = db.prepare('INSERT INTO ACTIVEMQ_ACKS (CONTAINER, SUB_DEST, CLIENT_ID, SUB_NAME, SELECTOR, LAST_ACKED_ID) VALUES (?, ?, ?, ?, ?, ?)');
    const mark = dispatchMarkRow('queue://orders', 1000);
    insert.run(mark.container, mark.subDest, mark.clientId, mark.subName, null, mark.lastAckedId);
    // A real durable subscription may use the same names: it lives under a topic container.
    insert.run('topic://prices', 'topic://prices', mark.clientId, mark.subName, null, 7);
    insert.run('topic://prices', 'topic://prices', 'app', 'sub', null, 3);
    const rows = toSubscriptions(db.prepare(SELECT_SUBSCRIPTIONS).all() as Array<Record<string, unknown>>);
    expect(rows.map((r) => [r.destination, r.clientId, r.subscriptionName])).toEqual([
      ['topic://prices', mark.clientId, mark.subName],
      ['topic://prices', 'app', 'sub'],
    ]);
    db.close();
  });
});
