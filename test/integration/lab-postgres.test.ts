import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_URL, findState, lastSeq, masterClaims, overlappingClaims, portAccepts, startLab } from '../support/lab-harness.js';
import type { Lab } from '../support/lab-harness.js';

// A 3-broker cluster on the real PostgreSQL (its own schema), each broker behind its own link proxy.
describe('lab host on PostgreSQL (lease-database-locker, lease 1000 ms)', () => {
  let lab: Lab;
  let schema = '';

  beforeAll(async () => {
    lab = await startLab({ brokers: 3, store: PG_URL, locker: 'lease-database-locker', keepAliveMs: 250, lockAcquireSleepIntervalMs: 1000 });
    schema = /\(schema (\w+)\)/.exec((await lab.service.invoke('cluster/status')).store.location)?.[1] ?? '';
  });
  afterAll(async () => {
    await lab?.close();
    const claims = masterClaims(lab.events, Date.now(), { leases: true });
    expect(overlappingClaims(claims)).toEqual([]);
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
    await client.end();
  });

  it('gives the cluster its own schema and one master whose port alone accepts', async () => {
    expect(schema).toMatch(/^fl_/);
    const master = await lab.master();
    const status = await lab.service.invoke('cluster/status');
    expect(status.store.kind).toBe('postgres');
    for (const broker of status.brokers) expect(await portAccepts(broker.connectors[0]!.port)).toBe(broker.name === master);
    expect((await lab.service.invoke('store/inspect')).lockRow?.holder).toBe(master);
  });

  for (const mode of ['blackhole', 'reset'] as const) {
    it(`deposes the master whose database link is cut (${mode}); a slave takes over; the healed broker rejoins as a slave`, async () => {
      const old = await lab.master();
      const since = lastSeq(lab.events);
      await lab.service.invoke('fault/cut-link', { broker: old, mode });
      expect((await lab.service.invoke('cluster/status')).brokers.find((b) => b.name === old)?.link).toMatchObject({ state: 'cut', mode });
      const next = await lab.waitFor(() => findState(lab.events, null, 'master', since), 'a new master');
      expect(next.broker).not.toBe(old);
      await lab.waitFor(() => lab.events.some((e) => e.seq > since && e.type === 'broker-state' && e.broker === old && e.exitCode === 3), `${old} exits with code 3`);
      await lab.service.invoke('fault/heal-link', { broker: old });
      await lab.waitFor(() => findState(lab.events, old, 'slave', since), `${old} back as slave`);
      const status = await lab.service.invoke('cluster/status');
      expect(await portAccepts(status.brokers.find((b) => b.name === old)!.connectors[0]!.port)).toBe(false);
    });
  }

  it('terminates the cluster\'s sessions on a database restart and ends with one master', async () => {
    const since = lastSeq(lab.events);
    const result = await lab.service.invoke('fault/db-restart', {});
    expect(result.detail).toMatch(/terminated [1-9]\d* PostgreSQL session/);
    expect(lab.events.some((e) => e.seq > since && e.type === 'fault' && e.fault === 'db-restart' && e.phase === 'injected')).toBe(true);
    await new Promise((r) => setTimeout(r, 1500));
    await lab.master();
  });

  it('slows one link down and heals it', async () => {
    const status = await lab.service.invoke('cluster/status');
    const slave = status.brokers.find((b) => b.role === 'slave')!.name;
    await lab.service.invoke('fault/latency', { broker: slave, latencyMs: 50 });
    expect((await lab.service.invoke('cluster/status')).brokers.find((b) => b.name === slave)?.link).toMatchObject({ state: 'slow', latencyMs: 50 });
    await lab.service.invoke('fault/heal-link', { broker: slave });
    expect((await lab.service.invoke('cluster/status')).brokers.find((b) => b.name === slave)?.link).toMatchObject({ state: 'up', latencyMs: 0 });
  });
});
