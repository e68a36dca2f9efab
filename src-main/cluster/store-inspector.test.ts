import { describe, expect, it } from 'vitest';
import { toSnapshot } from './store-inspector.js';

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
