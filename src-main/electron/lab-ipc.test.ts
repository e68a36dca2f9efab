import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ZodType } from 'zod';
import { LAB_COMMANDS, LabCommandSchemas } from '../api/lab-api.js';
import type { LabApi, LabCommand, LabResponse } from '../api/lab-api.js';
import { LabApiError } from '../api/lab-errors.js';

type Handler = (event: { senderFrame: { url: string } | null }, payload: unknown) => Promise<LabResponse>;
const handlers = new Map<string, Handler>();

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: Handler) => handlers.set(channel, handler),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
}));

const { registerLabIpc } = await import('./lab-ipc.js');
const { LAB_COMMAND_NAMES } = await import('./lab-commands.js');

const APP = { senderFrame: { url: 'file:///app/out/renderer/index.html' } };

function setup(invoke: LabApi['invoke'] = vi.fn(async () => ({ destroyed: true }) as never)) {
  const api: LabApi = { invoke, subscribe: () => () => undefined };
  const unregister = registerLabIpc({ api, schemas: LabCommandSchemas as unknown as Record<LabCommand, ZodType>, isTrustedSender: (url) => url.startsWith('file://') });
  const call = (command: string, payload: unknown, event = APP) => handlers.get(`lab:${command}`)!(event, payload);
  return { invoke, unregister, call };
}

describe('Electron IPC: one validated handler per LabApi command', () => {
  beforeEach(() => handlers.clear());

  it('registers exactly one channel per LabApi command and no generic one', () => {
    setup();
    expect([...handlers.keys()].sort()).toEqual(LAB_COMMANDS.map((c) => `lab:${c}`).sort());
    expect([...LAB_COMMAND_NAMES].sort()).toEqual([...LAB_COMMANDS].sort());
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
