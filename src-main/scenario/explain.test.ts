import { describe, expect, it } from 'vitest';
import type { LabEvent } from '../api/contract/index.js';
import { check } from './checker.js';
import { explain } from './explain.js';
import type { History, HistoryEntry } from './history.js';
import { ScenarioSchema } from './scenario-format.js';
import type { ScenarioInput } from './scenario-format.js';

const Q = { group: '/queue/q', destination: '/queue/q', expectsFromTs: 0, ordered: true };
const send = (seq: number, ts: number): HistoryEntry => ({ type: 'send', process: 'p', producer: 'p', seq, destination: '/queue/q', invokeTs: ts, completeTs: ts + 1, outcome: 'ok' });
const deliver = (seq: number, ts: number, messageId: string): HistoryEntry => ({ type: 'deliver', process: 'c', group: '/queue/q', producer: 'p', seq, destination: '/queue/q', ts, redelivered: false, messageId });
let n = 0;
const lock = (ts: number, holder: string): HistoryEntry => ({ type: 'lab', event: { seq: ++n, ts, type: 'lock', source: 'store', lock: { holder, epoch: n, leaseExpiresAt: null } } as LabEvent });
const interrupted = (ts: number): HistoryEntry => ({ type: 'client', process: 'p', event: { type: 'interrupted', ts, uri: 'stomp://x', reason: 'closed' } });

function explainRun(input: Partial<ScenarioInput>, entries: HistoryEntry[], store = 'sqlite'): string[] {
  const history: History = { startTs: 0, endTs: 10_000, entries, groups: [Q] };
  return explain(ScenarioSchema.parse({ name: 'x', ...input }), store, history, check(history), []);
}

describe('explain', () => {
  it('says nothing about a clean run', () => {
    expect(explainRun({}, [send(1, 10), deliver(1, 20, 'm1')])).toEqual([]);
  });

  it('explains unflagged repeats as at-least-once delivery and tells consumers to dedup by message-id', () => {
    const [why] = explainRun({}, [send(1, 10), deliver(1, 20, 'm1'), deliver(1, 900, 'm1')]);
    expect(why).toMatch(/ACK had not been stored/);
    expect(why).toMatch(/idempotent/);
    expect(why).toMatch(/1 of 1 repeats here carried the message-id of the first delivery/);
  });

  it('explains lock changes without a fault by a lease renewed less often than it lasts, and compares with ActiveMQ', () => {
    const cluster = { locker: 'lease-database-locker', keepAliveMs: 3000, lockAcquireSleepIntervalMs: 1000 } as const;
    const [why] = explainRun({ cluster }, [lock(0, 'broker1'), lock(1000, 'broker2'), interrupted(990), lock(2000, 'broker1')]);
    expect(why).toMatch(/changed hands 2 time\(s\) without any fault/);
    expect(why).toMatch(/lasts 1000 ms but is renewed only every 3000 ms/);
    expect(why).toMatch(/ActiveMQ.*2-3 masters/);
    expect(why).toMatch(/dual master is 0 ms/);
  });

  it('warns about a lease that can expire between renewals even when it did not', () => {
    expect(explainRun({ cluster: { locker: 'lease-database-locker', keepAliveMs: 2000, lockAcquireSleepIntervalMs: 2000 } }, [])).toEqual([expect.stringMatching(/not below the 2000 ms lease/)]);
  });

  it('says lost non-persistent messages are lost by design', () => {
    expect(explainRun({ workload: { persistent: false } }, [send(1, 10)])).toEqual([expect.stringMatching(/persistent:false.*by design/)]);
  });
});
