import { describe, expect, it } from 'vitest';
import type { LabEvent, LabRole } from '../api/contract/index.js';
import { EventLog } from '../cluster/event-log.js';
import { watchDualMaster } from './dual-master-watch.js';

const state = (broker: string, role: LabRole) => ({ type: 'broker-state' as const, broker, role, pid: 1, connectors: [], lock: null });
const settled = () => new Promise<void>((resolve) => queueMicrotask(resolve));

describe('the dual-master watch', () => {
  it('says when two brokers act as master together and when that ends, after the event that caused it', async () => {
    let ts = 0;
    const log = new EventLog(() => ++ts);
    const seen: LabEvent[] = [];
    log.subscribe((e) => seen.push(e));
    watchDualMaster(log);
    log.emit(state('broker1', 'master'));
    await settled();
    log.emit(state('broker2', 'master'));
    await settled();
    log.emit(state('broker1', 'stopped'));
    await settled();
    const told = seen.filter((e) => e.type === 'dual-master');
    expect(told.map((e) => (e.type === 'dual-master' ? e.brokers : null))).toEqual([['broker1', 'broker2'], []]);
    expect(seen.map((e) => e.seq)).toEqual([...seen.map((e) => e.seq)].sort((a, b) => a - b));
  });

  it('stays quiet while the set of masters does not change', async () => {
    const log = new EventLog();
    const stop = watchDualMaster(log);
    log.emit(state('broker1', 'master'));
    log.emit(state('broker2', 'slave'));
    await settled();
    stop();
    expect(log.since(0).filter((e) => e.type === 'dual-master')).toEqual([]);
  });
});
