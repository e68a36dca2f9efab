import { parseArgs } from 'node:util';
import { LabApiError } from '../api/lab-errors.js';
import { LabClient } from './lab-client.js';
import { labDirOf, processAlive, readState } from './state-file.js';
import { formatStatusTable } from './status-table.js';

export const CONTROL_USAGE = `usage (against the lab \`failover-lab up\` runs; --lab-dir DIR to choose it, --json for scripts):
  failover-lab status
  failover-lab start|stop|kill|restart|resume <broker>
  failover-lab pause <broker> [--duration ms]
  failover-lab fault cut-link <broker> [--mode blackhole|reset]
  failover-lab fault heal-link <broker>
  failover-lab fault latency <broker> <ms>
  failover-lab fault db-restart
  failover-lab fault clock-offset <broker> <ms>
  failover-lab fault db-failure <broker> [--heal]
  failover-lab inspect
  failover-lab down`;

const BROKER_VERBS = new Set(['start', 'stop', 'kill', 'pause', 'resume', 'restart']);

/** `failover-lab status|start|stop|kill|pause|resume|restart|fault|inspect|down`; resolves with the exit code. */
export async function runControlCommand(command: string, argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        'lab-dir': { type: 'string' },
        json: { type: 'boolean', default: false },
        duration: { type: 'string' },
        mode: { type: 'string', default: 'blackhole' },
        heal: { type: 'boolean', default: false },
      },
      strict: true,
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${CONTROL_USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const labDir = labDirOf(values['lab-dir']);
  const print = (result: unknown, text: string) => process.stdout.write(values.json ? `${JSON.stringify(result)}\n` : `${text}\n`);
  try {
    if (command === 'down') return await down(labDir);
    const client = await LabClient.connect(labDir);
    if (command === 'status') {
      const status = await client.invoke('cluster/status');
      print(status, formatStatusTable(status));
      return 0;
    }
    if (command === 'inspect') {
      const store = await client.invoke('store/inspect');
      print(store, `ACTIVEMQ_LOCK row 1: ${JSON.stringify(store.lockRow)}\n${store.queues.map((q) => `${q.destination}: ${q.depth}`).join('\n') || 'no messages'}`);
      return 0;
    }
    if (BROKER_VERBS.has(command)) {
      const broker = required(positionals[0], 'a broker name');
      const result =
        command === 'pause'
          ? await client.invoke('broker/pause', { broker, ...(values.duration ? { durationMs: Number(values.duration) } : {}) })
          : await client.invoke(`broker/${command}` as 'broker/start', { broker });
      print(result, `${result.name}: ${result.role}${result.pid ? ` (pid ${result.pid})` : ''}`);
      return 0;
    }
    if (command === 'fault') {
      const [verb, broker, amount] = positionals;
      const name = () => required(broker, 'a broker name');
      const ms = () => Number(required(amount, 'milliseconds'));
      const result =
        verb === 'cut-link' ? await client.invoke('fault/cut-link', { broker: name(), mode: values.mode as 'reset' })
        : verb === 'heal-link' ? await client.invoke('fault/heal-link', { broker: name() })
        : verb === 'latency' ? await client.invoke('fault/latency', { broker: name(), latencyMs: ms() })
        : verb === 'db-restart' ? await client.invoke('fault/db-restart', {})
        : verb === 'clock-offset' ? await client.invoke('fault/clock-offset', { broker: name(), offsetMs: ms() })
        : verb === 'db-failure' ? await client.invoke('fault/db-failure', { broker: name(), failing: !values.heal })
        : null;
      if (!result) throw new LabApiError('bad-request', `unknown fault "${verb ?? ''}"\n${CONTROL_USAGE}`);
      print(result, `${result.fault}${result.broker ? ` ${result.broker}` : ''}: ${result.detail}${result.simulated ? ' (simulated)' : ''}`);
      return 0;
    }
    process.stderr.write(`${CONTROL_USAGE}\n`);
    return 2;
  } catch (error) {
    const message = (error as Error).message;
    if (values.json) process.stdout.write(`${JSON.stringify({ ok: false, error: { code: error instanceof LabApiError ? error.reason : 'failed', message } })}\n`);
    process.stderr.write(`failover-lab ${command}: ${message}\n`);
    return error instanceof LabApiError && error.reason === 'bad-request' ? 2 : 1;
  }
}

function required(value: string | undefined, what: string): string {
  if (value === undefined || value === '') throw new LabApiError('bad-request', `missing ${what}\n${CONTROL_USAGE}`);
  return value;
}

/** Sends SIGTERM to the running `failover-lab up` and waits for it to stop its brokers. */
async function down(labDir: string): Promise<number> {
  const state = await readState(labDir);
  if (!state || !processAlive(state.pid)) {
    process.stderr.write(`no running lab in ${labDir}\n`);
    return 1;
  }
  process.kill(state.pid, 'SIGTERM');
  const deadline = Date.now() + 30_000;
  while (processAlive(state.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return processAlive(state.pid) ? 1 : 0;
}
