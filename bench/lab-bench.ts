import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { summarize } from './bench-client.js';

/**
 * The lab host, as a user starts it (`failover-lab up`, 3 brokers, SQLite): launch → master accepting
 * STOMP (budget ≤ 1.5 s for the whole cluster); lock change → event on the LabApi WebSocket (≤ 50 ms);
 * lab host RSS. Usage: node dist/bench/lab-bench.js [runs]
 */
const RUNS = Number(process.argv[2] ?? 5);
const ROOT = new URL('../../', import.meta.url);
const CLI = fileURLToPath(new URL('bin/failover-lab.cjs', ROOT));

interface Lab {
  url: URL;
  token: string;
  pid: number;
  stop(): Promise<void>;
}

function startLab(labDir: string): Promise<{ lab: Lab; startedAt: number }> {
  const startedAt = performance.now();
  const child = spawn(process.execPath, [CLI, 'up', '--no-table', '--port', '0', '--lab-dir', labDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = /Failover Lab: (\S+)/.exec(out);
      if (!match) return;
      const url = new URL(match[1]!);
      resolve({
        startedAt,
        lab: {
          url,
          token: url.searchParams.get('token')!,
          pid: child.pid!,
          stop: () => new Promise((done) => { child.once('exit', () => done()); child.kill('SIGTERM'); }),
        },
      });
    });
    child.once('exit', (code) => reject(new Error(`failover-lab up exited with ${code}: ${out}`)));
  });
}

async function api<T>(lab: Lab, command: string, payload: unknown = {}): Promise<T> {
  const res = await fetch(new URL(`/api/${command}?token=${lab.token}`, lab.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
  const body = (await res.json()) as { ok: boolean; result: T; error?: unknown };
  if (!body.ok) throw new Error(`${command}: ${JSON.stringify(body.error)}`);
  return body.result;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

interface StatusView { brokers: Array<{ name: string; role: string; connectors: Array<{ port: number }> }> }

async function oneRun(): Promise<{ launchMs: number; eventLagMs: number; killToEventMs: number; rssMb: number }> {
  const labDir = mkdtempSync(join(tmpdir(), 'lab-bench-'));
  const { lab, startedAt } = await startLab(labDir);
  try {
    let launchMs = NaN;
    for (;;) {
      const status = await api<StatusView>(lab, 'cluster/status');
      const master = status.brokers.find((b) => b.role === 'master');
      if (master && (await accepts(master.connectors[0]!.port))) {
        launchMs = performance.now() - startedAt;
        break;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    const status = await api<StatusView>(lab, 'cluster/status');
    const master = status.brokers.find((b) => b.role === 'master')!;
    await new Promise((r) => setTimeout(r, 500));
    const ws = new WebSocket(new URL(`/api/events?token=${lab.token}`, lab.url).href.replace('http', 'ws'), { headers: { host: lab.url.host } });
    await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
    const killedAt = Date.now();
    const event = new Promise<{ lag: number; sinceKill: number }>((resolve) => {
      ws.on('message', (data) => {
        const e = JSON.parse(String(data)) as { type: string; role?: string; broker?: string; ts: number };
        if (e.type === 'broker-state' && e.role === 'master' && e.broker !== master.name) resolve({ lag: Date.now() - e.ts, sinceKill: Date.now() - killedAt });
      });
    });
    await api(lab, 'broker/kill', { broker: master.name });
    const { lag, sinceKill } = await event;
    ws.close();
    const rssMb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${lab.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
    return { launchMs, eventLagMs: lag, killToEventMs: sinceKill, rssMb };
  } finally {
    await lab.stop();
    rmSync(labDir, { recursive: true, force: true });
  }
}

const runs = [];
for (let i = 0; i < RUNS; i++) runs.push(await oneRun());
const line = (label: string, unit: string, values: number[]) => {
  const s = summarize(values);
  process.stdout.write(`${label.padEnd(60)} median ${s.median.toFixed(1).padStart(8)} ${unit}  (min ${s.min.toFixed(1)}, max ${s.max.toFixed(1)}, n=${s.n})\n`);
};
line('failover-lab up (3 brokers, SQLite) → master accepting STOMP', 'ms', runs.map((r) => r.launchMs));
line('new master reported → event on the LabApi WebSocket', 'ms', runs.map((r) => r.eventLagMs));
line('broker/kill of the master → new master event on the WebSocket', 'ms', runs.map((r) => r.killToEventMs));
line('lab host RSS (3 brokers, after one failover)', 'MB', runs.map((r) => r.rssMb));
