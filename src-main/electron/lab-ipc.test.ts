import { beforeEach, describe, expect, it, vi } from 'vitest';
import { LAB_COMMAND_NAMES as LAB_COMMANDS } from '../api/contract/index.js';
import type { LabResponse } from '../api/contract/index.js';
import { LabApiError } from '../api/lab-errors.js';
import { LabCommandSchemas, parsePayload } from '../api/lab-schemas.js';
import type { LabRunner } from '../api/lab-schemas.js';

type Handler = (event: { senderFrame: { url: string } | null }, payload: unknown) => Promise<LabResponse>;
const handlers = new Map<string, Handler>();

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: Handler) => handlers.set(channel, handler),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
}));

const { registerLabIpc } = await import('./lab-ipc.js');

const APP = { senderFrame: { url: 'file:///app/out/renderer/index.html' } };

function setup(invoke: LabRunner['run'] = vi.fn(async () => ({ destroyed: true }) as never)) {
  const unregister = registerLabIpc({ lab: { run: invoke }, parse: parsePayload, isTrustedSender: (url) => url.startsWith('file://') });
  const call = (command: string, payload: unknown, event = APP) => handlers.get(`lab:${command}`)!(event, payload);
  return { invoke, unregister, call };
}

describe('Electron IPC: one validated handler per LabApi command', () => {
  beforeEach(() => handlers.clear());

  it('registers exactly one channel per LabApi command and no generic one', () => {
    setup();
    expect([...handlers.keys()].sort()).toEqual(LAB_COMMANDS.map((c) => `lab:${c}`).sort());
    expect(Object.keys(LabCommandSchemas).sort()).toEqual([...LAB_COMMANDS].sort());
  });

  it('passes a valid payload to the lab host after its schema applied the defaults', async () => {
    const { invoke, call } = setup();
    await expect(call('cluster/create', { brokers: 2 })).resolves.toMatchObject({ ok: true });
    expect(invoke).toHaveBeenCalledWith('cluster/create', expect.objectContaining({ brokers: 2, store: 'sqlite', locker: 'database-locker', start: false }));
  });

  it.each([
    ['broker/kill', { broker: '../../etc' }],
    ['broker/kill', {}],
    ['cluster/create', { brokers: 50 }],
    ['cluster/create', { brokers: 3, shell: 'rm -rf /' }],
    ['fault/latency', { broker: 'broker1', latencyMs: -1 }],
    ['config/validate', { xml: 42 }],
    ['broker/pause', 'broker1'],
  ])('refuses %s with %j as bad-request and never calls the lab host', async (command, payload) => {
    const { invoke, call } = setup();
    const response = await call(command, payload);
    expect(response).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(invoke).not.toHaveBeenCalled();
  });

  it('refuses a call from a frame that is not the app page', async () => {
    const { invoke, call } = setup();
    const response = await call('cluster/destroy', {}, { senderFrame: { url: 'https://evil.example/' } });
    expect(response).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(invoke).not.toHaveBeenCalled();
  });

  it('answers a lab-host failure with its LabApi error code instead of throwing across IPC', async () => {
    const { call } = setup(async () => {
      throw new LabApiError('conflict', 'no cluster: create one first (cluster/create)');
    });
    await expect(call('cluster/status', {})).resolves.toEqual({ ok: false, error: { code: 'conflict', message: 'no cluster: create one first (cluster/create)' } });
  });

  it('removes every handler it registered', () => {
    setup().unregister();
    expect(handlers.size).toBe(0);
  });
});
