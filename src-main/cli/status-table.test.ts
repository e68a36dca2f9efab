import { describe, expect, it } from 'vitest';
import type { ClusterStatus } from '../api/contract/index.js';
import { formatStatusTable } from './status-table.js';

const status = (lock: ClusterStatus['lock']): ClusterStatus => ({
  id: 'c1',
  dir: '/lab/c1',
  store: { kind: 'postgres', location: 'postgres://u@h/d (schema fl_c1)', limits: [], linkProxies: true },
  lockerKind: 'lease-database-locker',
  supervise: true,
  lock,
  brokers: [
    { name: 'broker1', role: 'master', pid: 11, connectors: [{ name: 's', uri: 'stomp://127.0.0.1:5001', port: 5001 }], lock, clockOffsetMs: 0, lastExit: null, configFile: '', link: { state: 'up', mode: null, latencyMs: 0 } },
    { name: 'broker2', role: 'paused', pid: 12, connectors: [{ name: 's', uri: 'stomp://127.0.0.1:5002', port: 5002 }], lock: null, clockOffsetMs: 0, lastExit: null, configFile: '', link: { state: 'cut', mode: 'blackhole', latencyMs: 0 } },
  ],
});

describe('formatStatusTable', () => {
  it('shows role, pid, ports and link per broker, then the holder and the lease countdown', () => {
    const text = formatStatusTable(status({ holder: 'broker1', epoch: 4, leaseExpiresAt: 10_500 }), 8_000);
    expect(text).toMatch(/broker1\s+master\s+11\s+5001\s+up/);
    expect(text).toMatch(/broker2\s+paused\s+12\s+5002\s+cut \(blackhole\)/);
    expect(text).toContain('lock: broker1 (epoch 4), lease expires in 2.5 s');
  });

  it('says when the lease has run out or the lock is held for life', () => {
    expect(formatStatusTable(status({ holder: 'broker1', epoch: 4, leaseExpiresAt: 7_000 }), 8_000)).toContain('lease expired 1.0 s ago');
    expect(formatStatusTable(status({ holder: 'broker1', epoch: 1, leaseExpiresAt: null }), 0)).toContain('database-locker');
    expect(formatStatusTable(status(null), 0)).toContain('nobody holds it');
  });
});
