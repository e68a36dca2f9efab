import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findState, lastSeq, masterClaims, overlappingClaims, portAccepts, startLab } from '../support/lab-harness.js';
import type { Lab } from '../support/lab-harness.js';

// A 3-broker cluster on pg-mem, served by the lab host over the PostgreSQL wire protocol.
describe('lab host on pg-mem (lease-database-locker, lease 1000 ms)', () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = await startLab({ brokers: 3, store: 'pgmem', locker: 'lease-database-locker', keepAliveMs: 250, lockAcquireSleepIntervalMs: 1000 });
  });
  afterAll(async () => {
    await lab?.close();
    expect(overlappingClaims(masterClaims(lab.events, Date.now(), { leases: true }))).toEqual([]);
  });

  it('says that its lock is emulated, and starts one master whose port alone accepts', async () => {
    const master = await lab.master();
    const status = await lab.service.invoke('cluster/status');
    expect(status.store.kind).toBe('pgmem');
    expect(status.store.limits.join(' ')).toMatch(/emulated/);
    for (const broker of status.brokers) expect(await portAccepts(broker.connectors[0]!.port)).toBe(broker.name === master);
    expect((await lab.service.invoke('store/inspect')).lockRow?.holder).toBe(master);
  });

  it('moves the lock when the master is killed', async () => {
    const old = await lab.master();
    const since = lastSeq(lab.events);
    await lab.service.invoke('broker/kill', { broker: old });
    const next = await lab.waitFor(() => findState(lab.events, null, 'master', since), 'a new master');
    expect(next.broker).not.toBe(old);
    await lab.service.invoke('broker/start', { broker: old });
    await lab.waitFor(() => findState(lab.events, old, 'slave', since), `${old} back as slave`);
  });

  it('deposes the master whose link is reset; the supervisor brings it back as a slave once healed', async () => {
    const old = await lab.master();
    const since = lastSeq(lab.events);
    await lab.service.invoke('fault/cut-link', { broker: old, mode: 'reset' });
    const next = await lab.waitFor(() => findState(lab.events, null, 'master', since), 'a new master');
    expect(next.broker).not.toBe(old);
    await lab.waitFor(() => lab.events.some((e) => e.seq > since && e.type === 'fault' && e.fault === 'supervisor-restart' && e.broker === old), 'supervisor restart');
    await lab.service.invoke('fault/heal-link', { broker: old });
    await lab.waitFor(() => findState(lab.events, old, 'slave', since), `${old} back as slave`);
  });

  it('drops every pg-mem session on a database restart and ends with one master', async () => {
    const result = await lab.service.invoke('fault/db-restart', {});
    expect(result.detail).toMatch(/dropped all [1-9]\d* pg-mem session/);
    await new Promise((r) => setTimeout(r, 1500));
    await lab.master();
  });

  it('saves pg-mem to a file in the lab directory, and replaces it only when told to', async () => {
    const { file } = await lab.service.invoke('store/save', { file: 'pgmem.json' });
    expect(readFileSync(file, 'utf8')).toMatch(/activemq_lock/i);
    await expect(lab.service.invoke('store/save', { file: 'pgmem.json' })).rejects.toMatchObject({ reason: 'conflict' });
    await expect(lab.service.invoke('store/save', { file: 'pgmem.json', overwrite: true })).resolves.toEqual({ file });
  });

  it('saves pg-mem outside the lab directory only where the user chose to (a save dialog, --save-pgmem)', async () => {
    const elsewhere = join(mkdtempSync(join(tmpdir(), 'failover-lab-pgmem-')), 'pgmem.json');
    await expect(lab.service.invoke('store/save', { file: elsewhere })).rejects.toThrow(/outside the lab directory/);
    expect(existsSync(elsewhere)).toBe(false);
    lab.service.grantSavePath(elsewhere);
    await lab.service.invoke('store/save', { file: elsewhere });
    expect(readFileSync(elsewhere, 'utf8')).toMatch(/activemq_lock/i);
  });
});
