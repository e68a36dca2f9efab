import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findState, lastSeq, masterClaims, overlappingClaims, portAccepts, startLab } from '../support/lab-harness.js';
import type { Lab } from '../support/lab-harness.js';

// A 3-broker cluster on the default store (an SQLite file), driven through LabApi only.
describe('lab host on SQLite (lease-database-locker, lease 800 ms)', () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = await startLab({ brokers: 3, store: 'sqlite', locker: 'lease-database-locker', keepAliveMs: 200, lockAcquireSleepIntervalMs: 800 });
  });
  afterAll(async () => {
    await lab?.close();
    const claims = masterClaims(lab.events, Date.now(), { leases: true });
    expect(overlappingClaims(claims)).toEqual([]);
  });

  it('starts one master whose port accepts while the slaves open none, and the lock row names it', async () => {
    const master = await lab.master();
    const status = await lab.service.invoke('cluster/status');
    for (const broker of status.brokers) {
      expect(await portAccepts(broker.connectors[0]!.port)).toBe(broker.name === master);
    }
    const store = await lab.service.invoke('store/inspect');
    expect(store.lockRow?.holder).toBe(master);
    expect(store.lock?.leaseExpiresAt).toBeGreaterThan(0);
    expect(store.limits.join(' ')).toMatch(/simulated/);
  });

  it('moves the lock to a slave when the master is killed, and leaves the killed broker stopped', async () => {
    const old = await lab.master();
    const since = lastSeq(lab.events);
    await lab.service.invoke('broker/kill', { broker: old });
    const next = await lab.waitFor(() => findState(lab.events, null, 'master', since), 'a new master');
    expect(next.broker).not.toBe(old);
    expect(lab.events.some((e) => e.type === 'fault' && e.fault === 'kill' && e.phase === 'effect' && e.detail.includes('became master'))).toBe(true);
    await new Promise((r) => setTimeout(r, 400));
    expect((await lab.roles())[old]).toBe('stopped');
    await lab.service.invoke('broker/start', { broker: old });
    await lab.waitFor(() => findState(lab.events, old, 'slave', since), `${old} back as slave`);
  });

  it('deposes a master paused beyond its lease; on resume it gives up and the supervisor brings it back as a slave', async () => {
    const old = await lab.master();
    const since = lastSeq(lab.events);
    await lab.service.invoke('broker/pause', { broker: old, durationMs: 2000 });
    expect((await lab.roles())[old]).toBe('paused');
    const next = await lab.waitFor(() => findState(lab.events, null, 'master', since), 'a new master');
    expect(next.broker).not.toBe(old);
    await lab.waitFor(() => lab.events.some((e) => e.seq > since && e.type === 'broker-state' && e.broker === old && e.exitCode === 3), `${old} exits with code 3`);
    await lab.waitFor(() => lab.events.some((e) => e.seq > since && e.type === 'fault' && e.fault === 'supervisor-restart' && e.broker === old), 'supervisor restart');
    await lab.waitFor(() => findState(lab.events, old, 'slave', since), `${old} back as slave`);
  });

  it('labels the SQLite database failure as simulated, and the master it hits gives up the lock', async () => {
    const old = await lab.master();
    const since = lastSeq(lab.events);
    const result = await lab.service.invoke('fault/db-failure', { broker: old });
    expect(result.simulated).toBe(true);
    const next = await lab.waitFor(() => findState(lab.events, null, 'master', since), 'a new master');
    expect(next.broker).not.toBe(old);
    await lab.waitFor(() => lab.events.some((e) => e.seq > since && e.type === 'broker-state' && e.broker === old && e.exitCode === 3), `${old} exits with code 3`);
  });

  it('records a clock offset as a fault event and keeps the broker running', async () => {
    const status = await lab.service.invoke('cluster/status');
    const slave = status.brokers.find((b) => b.role === 'slave')!.name;
    await lab.service.invoke('fault/clock-offset', { broker: slave, offsetMs: 1500 });
    expect(lab.events.some((e) => e.type === 'fault' && e.fault === 'clock-offset' && e.broker === slave)).toBe(true);
    expect((await lab.service.invoke('cluster/status')).brokers.find((b) => b.name === slave)?.clockOffsetMs).toBe(1500);
    await lab.service.invoke('fault/clock-offset', { broker: slave, offsetMs: 0 });
  });

  it('refuses bad commands with clear errors', async () => {
    await expect(lab.service.invoke('broker/kill', { broker: 'broker9' })).rejects.toMatchObject({ reason: 'not-found', message: expect.stringContaining('broker9') });
    await expect(lab.service.invoke('broker/pause', { broker: 'broker1', durationMs: -5 } as never)).rejects.toMatchObject({ reason: 'bad-request', message: expect.stringContaining('durationMs') });
    await expect(lab.service.invoke('fault/db-restart', {})).rejects.toMatchObject({ reason: 'unsupported' });
    await expect(lab.service.invoke('fault/cut-link', { broker: 'broker1' })).rejects.toMatchObject({ reason: 'unsupported', message: expect.stringContaining('simulated') });
    const slave = (await lab.service.invoke('cluster/status')).brokers.find((b) => b.role === 'slave')!.name;
    await lab.service.invoke('broker/pause', { broker: slave });
    await expect(lab.service.invoke('broker/pause', { broker: slave })).rejects.toMatchObject({ reason: 'conflict', message: expect.stringContaining('already paused') });
    await lab.service.invoke('broker/resume', { broker: slave });
    await expect(lab.service.invoke('cluster/create', {})).rejects.toMatchObject({ reason: 'conflict' });
  });
});
