import { describe, expect, it } from 'vitest';
import { parseScenario } from './scenario-format.js';

describe('parseScenario', () => {
  it('fills every default for a minimal YAML scenario', () => {
    const parsed = parseScenario('name: tiny\n');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.scenario.cluster).toMatchObject({ brokers: 2, store: 'sqlite', locker: 'database-locker' });
    expect(parsed.scenario.workload).toMatchObject({ destination: '/queue/failover', count: 500, ack: 'client-individual' });
    expect(parsed.scenario.expect).toEqual({ lost: 0, unexpected: 0, dualMasterMs: 0 });
  });

  it('reads JSON too', () => {
    const parsed = parseScenario('{"name": "j", "faults": [{"afterMessages": 10, "action": "kill"}]}');
    expect(parsed.ok && parsed.scenario.faults[0]).toMatchObject({ afterMessages: 10, action: 'kill', target: 'master' });
  });

  it('points at the line and column of a bad value', () => {
    const parsed = parseScenario('name: x\nworkload:\n  count: -5\n');
    expect(parsed).toEqual({ ok: false, diagnostics: [expect.objectContaining({ line: 3, column: 10, path: 'workload.count' })] });
  });

  it('points at the object holding an unknown key and names the key', () => {
    const parsed = parseScenario('name: x\ncluster:\n  brokerz: 3\n');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.diagnostics[0]).toMatchObject({ line: 3, path: 'cluster' });
    expect(parsed.diagnostics[0]!.message).toMatch(/brokerz/);
  });

  it('refuses a fault with both or neither of atMs and afterMessages, at the fault', () => {
    const parsed = parseScenario('name: x\nfaults:\n  - action: kill\n');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.diagnostics[0]).toMatchObject({ line: 3, column: 5, message: 'give exactly one of atMs and afterMessages' });
  });

  it('reads transactions with their defaults', () => {
    const parsed = parseScenario('name: x\nworkload:\n  transactions: {abortEvery: 3}\n');
    expect(parsed.ok && parsed.scenario.workload.transactions).toEqual({ size: 10, abortEvery: 3 });
  });

  it('refuses abortEvery 1 at its position: nothing would ever be stored', () => {
    const parsed = parseScenario('name: x\nworkload:\n  transactions:\n    size: 5\n    abortEvery: 1\n');
    expect(parsed).toEqual({ ok: false, diagnostics: [expect.objectContaining({ line: 5, column: 17, path: 'workload.transactions.abortEvery' })] });
  });

  it('refuses an unknown transactions option and names it', () => {
    const parsed = parseScenario('name: x\nworkload:\n  transactions:\n    sise: 5\n');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.diagnostics[0]).toMatchObject({ line: 4, path: 'workload.transactions' });
    expect(parsed.diagnostics[0]!.message).toMatch(/sise/);
  });

  it('refuses durable subscribers on a queue, pointing at durable', () => {
    const parsed = parseScenario('name: x\nworkload:\n  destination: /queue/q\n  durable: true\n');
    expect(parsed).toEqual({ ok: false, diagnostics: [expect.objectContaining({ line: 4, column: 12, path: 'workload.durable', message: expect.stringMatching(/\/topic\//) })] });
  });

  it('reports YAML syntax errors with their position', () => {
    const parsed = parseScenario('name: x\nworkload: [1, 2\n');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.diagnostics[0]!.line).toBeGreaterThanOrEqual(2);
  });
});
