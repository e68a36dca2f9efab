import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LabEventInput } from '../api/contract/index.js';
import { BrokerHandle } from './broker-handle.js';
import type { LaunchHandlers, LaunchedProcess, ProcessExit, ProcessLauncher } from './process-launcher.js';
import { Supervisor } from './supervisor.js';

/** A launcher whose processes exit when the test says so (the ProcessLauncher port's test double). */
class ScriptedLauncher implements ProcessLauncher {
  readonly launched: Array<{ handlers: LaunchHandlers; signals: string[]; exit(e: ProcessExit): void }> = [];

  launch(_spec: unknown, handlers: LaunchHandlers): LaunchedProcess {
    let exit!: (e: ProcessExit) => void;
    const exited = new Promise<ProcessExit>((resolve) => (exit = resolve));
    const entry = { handlers, signals: [] as string[], exit };
    this.launched.push(entry);
    return {
      pid: 1000 + this.launched.length,
      exited,
      signal: (s) => {
        entry.signals.push(s);
        if (s === 'SIGKILL') exit({ code: null, signal: 'SIGKILL' });
        return true;
      },
      writeLine: () => undefined,
    };
  }
}

const status = (role: 'master' | 'slave', state: string) =>
  JSON.stringify({ type: 'status', ts: 1, broker: 'broker1', pid: 1001, state, role, lock: { holder: 'broker1', epoch: 1, leaseExpiresAt: null }, connectors: [] });

function setUp() {
  const launcher = new ScriptedLauncher();
  const events: LabEventInput[] = [];
  const spec = { name: 'broker1', configFile: '/x.xml', ports: [5001], connectorUris: ['stomp://127.0.0.1:5001'], connectorNames: ['stomp'], dir: '/', args: [], env: {} };
  const broker = new BrokerHandle(spec, launcher, (e) => events.push(e));
  const supervisor = new Supervisor(true, (e) => events.push(e), 1);
  supervisor.watch(broker);
  return { launcher, events, broker };
}

// The supervisor's restart delay (1 ms here) runs on fake timers: advanced, never waited for.
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});
const tick = () => vi.advanceTimersByTimeAsync(1);

describe('Supervisor and BrokerHandle', () => {
  it('restarts a master that exited with code 3 (lock lost), announcing it', async () => {
    const { launcher, events, broker } = setUp();
    broker.start();
    launcher.launched[0]!.handlers.onLine(status('master', 'master'));
    expect(broker.role).toBe('master');
    launcher.launched[0]!.exit({ code: 3, signal: null });
    await tick();
    expect(launcher.launched).toHaveLength(2);
    expect(events.some((e) => e.type === 'fault' && e.fault === 'supervisor-restart')).toBe(true);
    expect(broker.role).toBe('starting');
  });

  it('leaves a broker the lab killed stopped, and reports the signal', async () => {
    const { launcher, events, broker } = setUp();
    broker.start();
    await broker.kill();
    await tick();
    expect(launcher.launched).toHaveLength(1);
    expect(broker.role).toBe('stopped');
    expect(events.at(-1)).toMatchObject({ type: 'broker-state', role: 'stopped', signal: 'SIGKILL' });
  });

  it('shows a paused broker as paused, refuses a second pause, and sends SIGCONT before SIGTERM would wait', async () => {
    const { launcher, broker } = setUp();
    broker.start();
    launcher.launched[0]!.handlers.onLine(status('slave', 'waiting-for-lock'));
    broker.pause();
    expect(broker.role).toBe('paused');
    expect(() => broker.pause()).toThrow(/already paused/);
    const stopped = broker.stop();
    expect(launcher.launched[0]!.signals).toEqual(['SIGSTOP', 'SIGTERM', 'SIGCONT']);
    launcher.launched[0]!.exit({ code: 0, signal: null });
    await stopped;
    expect(broker.role).toBe('stopped');
  });
});
