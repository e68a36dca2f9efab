import { describe, expect, it } from 'vitest';
import type { LabEvent } from '../api/contract/index.js';
import { check } from './checker.js';
import type { History, HistoryEntry, ReceiverGroup } from './history.js';

const Q: ReceiverGroup = { group: '/queue/q', destination: '/queue/q', expectsFromTs: 0, ordered: true };

function send(seq: number, ts: number, outcome: 'ok' | 'fail' | 'info' = 'ok', producer = 'p1'): HistoryEntry {
  return { type: 'send', process: producer, producer, seq, destination: '/queue/q', invokeTs: ts, completeTs: outcome === 'ok' ? ts + 1 : null, outcome };
}

function deliver(seq: number, ts: number, redelivered = false, producer = 'p1', group = '/queue/q'): HistoryEntry {
  return { type: 'deliver', process: 'c1', group, producer, seq, destination: '/queue/q', ts, redelivered };
}

let seq = 0;
function lab(ts: number, event: Record<string, unknown>): HistoryEntry {
  return { type: 'lab', event: { seq: ++seq, ts, ...event } as LabEvent };
}

function state(ts: number, broker: string, role: string): HistoryEntry {
  return lab(ts, { type: 'broker-state', broker, role, pid: 1, connectors: [], lock: null });
}

function lock(ts: number, holder: string | null): HistoryEntry {
  return lab(ts, { type: 'lock', source: 'store', lock: { holder, epoch: 1, leaseExpiresAt: null } });
}

function history(entries: HistoryEntry[], groups: ReceiverGroup[] = [Q], endTs = 10_000): History {
  return { startTs: 0, endTs, entries, groups };
}

describe('Checker: messages', () => {
  it('finds nothing wrong when every receipted send is delivered once, in order', () => {
    const { verdict, anomalies } = check(history([send(1, 10), send(2, 20), deliver(1, 15), deliver(2, 25)]));
    expect(verdict).toMatchObject({ sent: 2, receipted: 2, delivered: 2, lost: 0, duplicated: 0, unexpected: 0, recovered: 0, reordered: 0 });
    expect(anomalies).toEqual([]);
  });

  it('treats the sends of an aborted transaction as never sent, and a delivery of one as unexpected', () => {
    const aborted: HistoryEntry = { ...send(2, 20), outcome: 'aborted', transaction: 'tx-1', completeTs: 21 } as HistoryEntry;
    const { verdict, anomalies } = check(history([send(1, 10), aborted, deliver(1, 15), deliver(2, 25)]));
    expect(verdict).toMatchObject({ sent: 1, aborted: 1, receipted: 1, lost: 0, unexpected: 1 });
    expect(anomalies).toEqual([expect.objectContaining({ kind: 'unexpected', seq: 2, detail: expect.stringMatching(/transaction tx-1 that was aborted/) })]);
  });

  it('does not count an aborted send that never arrived as lost', () => {
    const aborted: HistoryEntry = { ...send(1, 10), outcome: 'aborted', transaction: 'tx-1' } as HistoryEntry;
    expect(check(history([aborted])).verdict).toMatchObject({ sent: 0, aborted: 1, lost: 0, unexpected: 0 });
  });

  it('counts a receipted send that was never delivered as lost', () => {
    const { verdict, anomalies } = check(history([send(1, 10), send(2, 20), deliver(1, 15)]));
    expect(verdict.lost).toBe(1);
    expect(anomalies).toEqual([expect.objectContaining({ kind: 'lost', seq: 2 })]);
  });

  it('does not count a failed or indeterminate send that never arrived as lost', () => {
    const { verdict } = check(history([send(1, 10, 'fail'), send(2, 20, 'info')]));
    expect(verdict).toMatchObject({ lost: 0, failed: 1, indeterminate: 1, recovered: 0 });
  });

  it('counts an indeterminate send that was delivered as recovered', () => {
    const { verdict, anomalies } = check(history([send(1, 10, 'info'), deliver(1, 30)]));
    expect(verdict.recovered).toBe(1);
    expect(anomalies[0]).toMatchObject({ kind: 'recovered', seq: 1 });
  });

  it('counts a delivery nobody sent as unexpected', () => {
    const { verdict } = check(history([send(1, 10), deliver(1, 15), deliver(7, 16, false, 'ghost')]));
    expect(verdict.unexpected).toBe(1);
  });

  it('splits duplicates into flagged redeliveries and unflagged duplicates', () => {
    const { verdict, anomalies } = check(history([send(1, 10), send(2, 11), deliver(1, 15), deliver(1, 40, true), deliver(2, 16), deliver(2, 41), deliver(2, 42)]));
    expect(verdict).toMatchObject({ duplicated: 2, duplicatedFlagged: 1, duplicatedUnflagged: 2 });
    expect(anomalies.map((a) => a.kind)).toEqual(['redelivered', 'duplicated', 'duplicated']);
  });

  it('reports per-producer reordering only where order is promised, and ignores other producers’ interleaving', () => {
    const entries = [send(1, 10), send(2, 11), send(1, 12, 'ok', 'p2'), deliver(2, 20), deliver(1, 21, false, 'p2'), deliver(1, 22)];
    expect(check(history(entries)).verdict.reordered).toBe(1);
    expect(check(history(entries, [{ ...Q, ordered: false }])).verdict.reordered).toBe(0);
  });

  it('expects every receipted send at every group of its destination from the time the group subscribed', () => {
    const groups: ReceiverGroup[] = [
      { group: 'sub-a', destination: '/queue/q', expectsFromTs: 0, ordered: true },
      { group: 'sub-b', destination: '/queue/q', expectsFromTs: 15, ordered: true },
    ];
    const entries = [send(1, 10), send(2, 20), deliver(1, 12, false, 'p1', 'sub-a'), deliver(2, 22, false, 'p1', 'sub-a'), deliver(2, 23, false, 'p1', 'sub-b')];
    expect(check(history(entries, groups)).verdict.lost).toBe(0);
    expect(check(history(entries.slice(0, 4), groups)).verdict.lost).toBe(1);
  });
});

describe('Checker: time', () => {
  it('finds outage windows longer than the threshold between successful operations', () => {
    const { outages } = check(history([send(1, 0), send(2, 100), send(3, 1600), deliver(3, 1650)]), { outageThresholdMs: 250 });
    expect(outages).toEqual([{ from: 101, to: 1601, durationMs: 1500 }]);
  });

  it('builds a failover timeline: fault, old master gone, lock taken, connectors open, first client success', () => {
    const entries = [
      state(0, 'broker1', 'master'),
      state(5, 'broker2', 'slave'),
      lock(6, 'broker1'),
      send(1, 900),
      lab(1000, { type: 'fault', fault: 'kill', phase: 'injected', broker: 'broker1', simulated: false, detail: 'kill' }),
      state(1010, 'broker1', 'stopped'),
      lock(1090, 'broker2'),
      state(1100, 'broker2', 'master'),
      send(2, 1120),
      send(3, 1130),
    ];
    const [failover] = check(history(entries)).failovers;
    expect(failover).toEqual({
      fault: 'kill',
      broker: 'broker1',
      faultTs: 1000,
      oldMaster: 'broker1',
      oldMasterGoneMs: 10,
      newMaster: 'broker2',
      newMasterLockMs: 90,
      connectorsOpenMs: 100,
      firstClientSuccessMs: 121,
      clientGapMs: 220,
    });
  });

  it('makes a failover timeline for a database restart after which the old master wins the lock again', () => {
    const entries = [
      state(0, 'broker1', 'master'),
      state(5, 'broker2', 'slave'),
      lock(6, 'broker1'),
      send(1, 900),
      lab(1000, { type: 'fault', fault: 'db-restart', phase: 'injected', broker: null, simulated: false, detail: 'db-restart' }),
      state(1010, 'broker1', 'stopping'),
      lock(1200, 'broker1'),
      state(1300, 'broker1', 'master'),
      send(2, 1400),
    ];
    const [failover] = check(history(entries)).failovers;
    expect(failover).toMatchObject({ fault: 'db-restart', oldMaster: 'broker1', oldMasterGoneMs: 10, newMaster: 'broker1', newMasterLockMs: 200, connectorsOpenMs: 300 });
  });

  it('makes no failover timeline for a fault on a slave', () => {
    const entries = [state(0, 'broker1', 'master'), state(5, 'broker2', 'slave'), lab(100, { type: 'fault', fault: 'kill', phase: 'injected', broker: 'broker2', simulated: false, detail: '' })];
    expect(check(history(entries)).failovers).toEqual([]);
  });

  it('finds dual-master intervals from the brokers’ state events', () => {
    const entries = [state(0, 'broker1', 'master'), state(500, 'broker2', 'master'), state(800, 'broker1', 'stopped')];
    const { dualMaster } = check(history(entries));
    expect(dualMaster.fromEvents).toEqual([{ from: 500, to: 800, brokers: ['broker1', 'broker2'] }]);
    expect(dualMaster.totalMs).toBe(300);
  });

  it('finds dual-master intervals from which ports accepted, and adds both sources without counting overlap twice', () => {
    const port = (broker: string, ts: number, accepting: boolean): HistoryEntry => ({ type: 'port', broker, ts, accepting });
    const entries = [state(0, 'broker1', 'master'), state(500, 'broker2', 'master'), state(800, 'broker1', 'stopped'), port('broker1', 0, true), port('broker2', 600, true), port('broker1', 900, false)];
    const { dualMaster } = check(history(entries));
    expect(dualMaster.fromPorts).toEqual([{ from: 600, to: 900, brokers: ['broker1', 'broker2'] }]);
    expect(dualMaster.totalMs).toBe(400);
  });

  it('reports no dual master when one master follows the other', () => {
    const entries = [state(0, 'broker1', 'master'), state(500, 'broker1', 'stopped'), state(600, 'broker2', 'master')];
    expect(check(history(entries)).dualMaster.totalMs).toBe(0);
  });

  it('turns lock events into holder segments', () => {
    const { lock: segments } = check(history([lock(0, 'broker1'), lock(200, 'broker1'), lock(1000, null), lock(1100, 'broker2')], [Q], 2000));
    expect(segments).toEqual([
      { holder: 'broker1', from: 0, to: 1000 },
      { holder: null, from: 1000, to: 1100 },
      { holder: 'broker2', from: 1100, to: 2000 },
    ]);
  });
});

describe('Checker: paused masters', () => {
  it('makes a failover timeline for a pause of the master even when the paused state arrives first', () => {
    const entries = [
      state(0, 'broker1', 'master'),
      state(5, 'broker2', 'slave'),
      send(1, 900),
      state(1000, 'broker1', 'paused'),
      lab(1000, { type: 'fault', fault: 'pause', phase: 'injected', broker: 'broker1', simulated: false, detail: 'pause' }),
      state(3000, 'broker2', 'master'),
      send(2, 3050),
    ];
    const { failovers } = check(history(entries));
    expect(failovers).toHaveLength(1);
    expect(failovers[0]).toMatchObject({ oldMaster: 'broker1', newMaster: 'broker2', connectorsOpenMs: 2000, clientGapMs: 2150 });
  });
});

describe('Checker: master changes', () => {
  const fault = (ts: number, kind: string, broker: string | null) => lab(ts, { type: 'fault', fault: kind, phase: 'injected', broker, simulated: false, detail: kind });

  it('tells lock changes a fault explains from those that happened by themselves', () => {
    const entries = [lock(0, 'broker1'), lock(1000, 'broker2'), fault(1500, 'kill', 'broker2'), lock(1600, null), lock(1700, 'broker3'), lock(2700, 'broker1')];
    expect(check(history(entries)).masterChanges).toEqual([
      { ts: 1000, from: 'broker1', to: 'broker2', fault: null },
      { ts: 1700, from: 'broker2', to: 'broker3', fault: 'kill' },
      { ts: 2700, from: 'broker3', to: 'broker1', fault: null },
    ]);
  });

  it('makes no failover timeline for a clock offset on a slave that took nothing', () => {
    const entries = [state(0, 'broker1', 'master'), state(5, 'broker2', 'slave'), fault(1000, 'clock-offset', 'broker2'), send(1, 1200)];
    expect(check(history(entries)).failovers).toEqual([]);
  });

  it('makes a failover timeline for a clock offset on a slave, which takes the master’s lease', () => {
    const entries = [state(0, 'broker1', 'master'), state(5, 'broker2', 'slave'), fault(1000, 'clock-offset', 'broker2'), lock(1900, 'broker2'), state(1950, 'broker1', 'stopped'), state(1950, 'broker2', 'master')];
    expect(check(history(entries)).failovers).toEqual([expect.objectContaining({ fault: 'clock-offset', oldMaster: 'broker1', newMaster: 'broker2', newMasterLockMs: 900, oldMasterGoneMs: 950 })]);
  });

  it('names a failover once when several faults hit the master before it gave up, after the last of them', () => {
    const entries = [
      state(0, 'broker1', 'slave'),
      state(5, 'broker2', 'master'),
      lock(6, 'broker2'),
      send(1, 900),
      fault(1000, 'cut-link', 'broker2'),
      fault(1200, 'cut-link', 'broker2'),
      fault(1400, 'cut-link', 'broker2'),
      state(1500, 'broker2', 'stopping'),
      lock(1600, 'broker1'),
      state(1650, 'broker1', 'master'),
      send(2, 1700),
    ];
    expect(check(history(entries)).failovers).toEqual([
      expect.objectContaining({ fault: 'cut-link', broker: 'broker2', faultTs: 1400, oldMaster: 'broker2', oldMasterGoneMs: 100, newMaster: 'broker1', newMasterLockMs: 200, connectorsOpenMs: 250 }),
    ]);
  });

  it('makes no failover timeline for a fault on the master after which nothing changed', () => {
    const entries = [state(0, 'broker1', 'master'), state(5, 'broker2', 'slave'), lock(6, 'broker1'), fault(1000, 'cut-link', 'broker1'), send(1, 1200)];
    expect(check(history(entries)).failovers).toEqual([]);
  });

  it('does not split a takeover when a fault hits a slave while it happens', () => {
    const entries = [
      state(0, 'broker1', 'master'),
      state(5, 'broker2', 'slave'),
      state(6, 'broker3', 'slave'),
      fault(1000, 'kill', 'broker1'),
      state(1010, 'broker1', 'stopped'),
      fault(1050, 'kill', 'broker3'),
      lock(1100, 'broker2'),
      state(1120, 'broker2', 'master'),
    ];
    expect(check(history(entries)).failovers).toEqual([
      expect.objectContaining({ fault: 'kill', broker: 'broker1', oldMasterGoneMs: 10, newMaster: 'broker2', newMasterLockMs: 100, connectorsOpenMs: 120 }),
    ]);
  });
});
