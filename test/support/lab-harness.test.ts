import { describe, expect, it } from 'vitest';
import type { LabEvent } from '../../src-main/api/contract/index.js';
import { masterClaims, overlappingClaims } from './lab-harness.js';

const state = (seq: number, ts: number, broker: string, role: string, epoch?: number): LabEvent =>
  ({ type: 'broker-state', seq, ts, broker, role, pid: 1, connectors: [], lock: epoch === undefined ? null : { holder: broker, epoch, leaseExpiresAt: null } }) as LabEvent;
const lease = (seq: number, ts: number, holder: string, epoch: number, leaseExpiresAt: number): LabEvent => ({ type: 'lock', seq, ts, source: 'store', lock: { holder, epoch, leaseExpiresAt } });

describe('the dual-master check', () => {
  const events = [state(1, 0, 'b1', 'master', 1), lease(2, 100, 'b1', 1, 1000), state(3, 1100, 'b2', 'master', 2), state(4, 1400, 'b1', 'stopping')];

  it('finds two master claims that overlap in time', () => {
    expect(overlappingClaims(masterClaims(events, 2000, { leases: false }))).toHaveLength(1);
  });

  it('does not count a claim past the lease the store last showed for it', () => {
    expect(overlappingClaims(masterClaims(events, 2000, { leases: true }))).toEqual([]);
  });

  it('still finds an overlap inside a valid lease', () => {
    const inside = [...events.slice(0, 2), state(3, 900, 'b2', 'master', 2), events[3]!];
    expect(overlappingClaims(masterClaims(inside, 2000, { leases: true }))).toHaveLength(1);
  });
});
