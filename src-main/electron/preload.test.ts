import { describe, expect, it, vi } from 'vitest';
import { LAB_COMMAND_NAMES as LAB_COMMANDS } from '../api/contract/index.js';

const exposed: Record<string, unknown> = {};
const invoke = vi.fn(async () => ({ ok: true, result: null }));
const listeners = new Map<string, (...args: unknown[]) => void>();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (exposed[key] = value) },
  ipcRenderer: {
    invoke,
    on: (channel: string, listener: (...args: unknown[]) => void) => listeners.set(channel, listener),
    removeListener: (channel: string) => listeners.delete(channel),
  },
}));

await import('./preload.js');

describe('the preload bridge', () => {
  const lab = exposed['lab'] as Record<string, unknown>;

  it('exposes one frozen object with a function per LabApi command and no generic invoke', () => {
    expect(Object.isFrozen(lab)).toBe(true);
    expect(Object.keys(lab).sort()).toEqual([...LAB_COMMANDS, 'onEvent', 'shell'].sort());
    expect(lab['invoke']).toBeUndefined();
    for (const command of LAB_COMMANDS) expect(typeof lab[command]).toBe('function');
  });

  it('sends each command on its own channel with the payload as given', async () => {
    await (lab['broker/kill'] as (p: unknown) => Promise<unknown>)({ broker: 'broker1' });
    expect(invoke).toHaveBeenCalledWith('lab:broker/kill', { broker: 'broker1' });
  });

  it('delivers pushed events to a listener until it unsubscribes', () => {
    const seen: unknown[] = [];
    const off = (lab['onEvent'] as (l: (e: unknown) => void) => () => void)((e) => seen.push(e));
    listeners.get('lab:event')!({}, { seq: 1, type: 'cluster' });
    off();
    expect(seen).toEqual([{ seq: 1, type: 'cluster' }]);
    expect(listeners.has('lab:event')).toBe(false);
  });
});
