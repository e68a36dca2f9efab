import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ClusterController } from './cluster-controller.js';
import { defaultTemplate } from './default-template.js';
import { EventLog } from './event-log.js';
import type { LaunchHandlers, LaunchSpec, LaunchedProcess, ProcessExit, ProcessLauncher } from './process-launcher.js';

/** Records what the controller launches; each reports itself a slave at once and ends on a signal. */
class RecordingLauncher implements ProcessLauncher {
  readonly specs: LaunchSpec[] = [];

  launch(spec: LaunchSpec, handlers: LaunchHandlers): LaunchedProcess {
    this.specs.push(spec);
    queueMicrotask(() => handlers.onLine(JSON.stringify({ type: 'status', ts: 1, broker: spec.name, pid: 1, state: 'waiting-for-lock', role: 'slave', lock: null, connectors: [] })));
    let exit!: (e: ProcessExit) => void;
    const exited = new Promise<ProcessExit>((resolve) => (exit = resolve));
    return { pid: 2000 + this.specs.length, exited, signal: (s) => (exit({ code: null, signal: s }), true), writeLine: () => undefined };
  }
}

const clusters: ClusterController[] = [];
afterEach(async () => {
  for (const c of clusters.splice(0)) await c.destroy();
});

async function create(store: string, launcher = new RecordingLauncher()) {
  const events = new EventLog();
  const cluster = await ClusterController.create(
    { labDir: mkdtempSync(join(tmpdir(), 'fl-cluster-')), brokers: 2, templates: [{ name: 'built-in', xml: defaultTemplate() }], store },
    { launcher, events },
  );
  clusters.push(cluster);
  return { cluster, events, launcher };
}

const portIn = (xml: string, pattern: RegExp) => Number(pattern.exec(xml)?.[1]);

describe('ClusterController.addBroker', () => {
  it('adds broker3 from the template with a port of its own and an activemq.xml of its own', async () => {
    const { cluster, events } = await create('sqlite');
    const added = await cluster.addBroker();
    expect(added.name).toBe('broker3');
    const ports = cluster.brokers.map((b) => b.spec.ports[0]);
    expect(new Set(ports).size).toBe(3);
    const xml = readFileSync(added.spec.configFile, 'utf8');
    expect(portIn(xml, /stomp:\/\/127\.0\.0\.1:(\d+)/)).toBe(added.spec.ports[0]);
    expect(cluster.status().brokers.map((b) => b.name)).toEqual(['broker1', 'broker2', 'broker3']);
    expect(events.since(0).some((e) => e.type === 'cluster' && e.state === 'broker-added' && e.detail.startsWith('broker3'))).toBe(true);
  });

  it('starts the new broker at once when the cluster runs, and not before', async () => {
    const { cluster, launcher } = await create('sqlite');
    await cluster.addBroker();
    expect(launcher.specs).toHaveLength(0);
    await cluster.start();
    expect(launcher.specs.map((s) => s.name).sort()).toEqual(['broker1', 'broker2', 'broker3']);
    const fourth = await cluster.addBroker();
    expect(launcher.specs.at(-1)?.name).toBe('broker4');
    expect(fourth.running).toBe(true);
  });

  it('gives the new broker its own database link proxy on pg-mem', async () => {
    const { cluster } = await create('pgmem');
    const added = await cluster.addBroker();
    const dbPort = (file: string) => portIn(readFileSync(file, 'utf8'), /name="portNumber" value="(\d+)"/);
    const first = dbPort(cluster.broker('broker1').spec.configFile);
    expect(dbPort(added.spec.configFile)).not.toBe(first);
    expect(cluster.status().brokers.find((b) => b.name === 'broker3')?.link).toEqual({ state: 'up', mode: null, latencyMs: 0 });
  });

  it('refuses a tenth broker', async () => {
    const { cluster } = await create('sqlite');
    for (let i = 3; i <= 9; i++) await cluster.addBroker();
    await expect(cluster.addBroker()).rejects.toMatchObject({ reason: 'conflict' });
  });
});
