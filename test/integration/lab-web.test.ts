import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/failover-lab.cjs', import.meta.url));
const run = promisify(execFile);

// `failover-lab up` as a user runs it, and the commands that talk to it through the state file.
describe('failover-lab up (web mode) and the commands that drive it', () => {
  const labDir = mkdtempSync(join(tmpdir(), 'failover-lab-web-'));
  let up: ChildProcess;
  let url: URL;
  let exit: Promise<number | null>;

  beforeAll(async () => {
    up = spawn(process.execPath, [BIN, 'up', '--brokers', '2', '--lab-dir', labDir, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    exit = new Promise((resolve) => up.once('exit', resolve));
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      let err = '';
      up.stderr!.on('data', (c: Buffer) => (err += c));
      up.stdout!.on('data', (c: Buffer) => {
        out += c;
        if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
      });
      up.once('exit', (code) => reject(new Error(`failover-lab up exited with ${code}: ${err}`)));
    });
    url = new URL((JSON.parse(line) as { url: string }).url);
  });
  afterAll(async () => {
    if (up.exitCode === null) up.kill('SIGKILL');
  });

  const api = (command: string, body: unknown, token: string | null = url.searchParams.get('token')) =>
    fetch(`${url.origin}/api/${command}${token ? `?token=${token}` : ''}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

  it('listens on 127.0.0.1 and refuses requests without the token', async () => {
    expect(url.hostname).toBe('127.0.0.1');
    expect((await api('cluster/status', {}, null)).status).toBe(401);
    expect((await api('cluster/status', {}, 'wrong')).status).toBe(401);
    expect((await fetch(url.origin + '/')).status).toBe(401);
    expect((await fetch(url.href)).status).toBe(200);
  });

  it('validates payloads: a bad one gets 400 with a message, an unknown command 404', async () => {
    const bad = await api('broker/pause', { broker: 'broker1', durationMs: 'soon' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/durationMs/);
    expect((await api('broker/kill', '{not json')).status).toBe(400);
    expect((await api('broker/explode', {})).status).toBe(404);
    expect((await api('broker/kill', { broker: 'broker7' })).status).toBe(404);
  });

  it('prints status --json in the documented shape, through the state file', async () => {
    const deadline = Date.now() + 10_000;
    let status: { brokers: Array<{ name: string; role: string; pid: number | null; connectors: unknown[] }>; lock: { holder: string | null; epoch: number; leaseExpiresAt: number | null } };
    for (;;) {
      status = JSON.parse((await run(process.execPath, [BIN, 'status', '--json', '--lab-dir', labDir])).stdout);
      if (status.brokers.some((b) => b.role === 'master') || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(status.brokers.map((b) => b.name)).toEqual(['broker1', 'broker2']);
    for (const b of status.brokers) {
      expect(['starting', 'slave', 'master', 'stopping', 'stopped', 'paused']).toContain(b.role);
      expect(b.connectors.length).toBe(1);
    }
    expect(status.lock).toMatchObject({ holder: expect.any(String), epoch: expect.any(Number) });
    expect(status.lock).toHaveProperty('leaseExpiresAt');
  });

  it('streams events over the WebSocket, and `failover-lab kill` shows up there', async () => {
    const ws = new WebSocket(`ws://${url.host}/api/events?token=${url.searchParams.get('token')}`);
    const events: Array<{ type: string; fault?: string; broker?: string }> = [];
    ws.on('message', (data) => events.push(JSON.parse(String(data))));
    await new Promise((resolve) => ws.once('open', resolve));
    const slave = JSON.parse((await run(process.execPath, [BIN, 'status', '--json', '--lab-dir', labDir])).stdout).brokers.find((b: { role: string }) => b.role === 'slave').name as string;
    await run(process.execPath, [BIN, 'kill', slave, '--lab-dir', labDir]);
    const deadline = Date.now() + 5000;
    while (!events.some((e) => e.type === 'fault' && e.fault === 'kill' && e.broker === slave) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    ws.close();
    expect(events.some((e) => e.type === 'fault' && e.fault === 'kill' && e.broker === slave)).toBe(true);
    const refused = new WebSocket(`ws://${url.host}/api/events`);
    await expect(new Promise((resolve, reject) => refused.once('open', resolve).once('error', reject))).rejects.toThrow(/401/);
  });

  it('stops cleanly on `failover-lab down`: brokers stopped, state file removed, SQLite file kept', async () => {
    await run(process.execPath, [BIN, 'down', '--lab-dir', labDir]);
    expect(await exit).toBe(0);
    expect(existsSync(join(labDir, 'state.json'))).toBe(false);
    const cluster = readdirSync(labDir).find((d) => d.startsWith('c'))!;
    expect(existsSync(join(labDir, cluster, 'failover-lab.sqlite'))).toBe(true);
  });
});
