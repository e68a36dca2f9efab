import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { parseProperties } from '../../broker/server/index.js';
import type { LabPayload } from '../api/contract/index.js';
import { LabApiError } from '../api/lab-errors.js';
import { LabService } from '../api/lab-service.js';
import { NodeProcessLauncher } from '../cluster/node-process-launcher.js';
import { BUILD_APP_HINT } from '../web/status-page.js';
import { startWebServer } from '../web/web-server.js';
import { labDirOf, processAlive, readState, removeState, writeState } from './state-file.js';
import { formatStatusTable } from './status-table.js';

export const UP_USAGE = `usage: failover-lab up [--brokers 3] [--store sqlite|pgmem|postgres://...] [--config x.xml ...]
                    [--locker database-locker|lease-database-locker] [--keep-alive ms] [--lock-acquire-sleep ms]
                    [--port 0] [--lab-dir DIR] [--save-pgmem FILE] [--no-supervise] [--no-table] [--json] [-D key=value ...]
       failover-lab up --no-cluster [--port 0] [--lab-dir DIR] [--json]   (the same as: failover-lab ui)`;

/**
 * `failover-lab up`: creates and starts a cluster, serves LabApi over HTTP + WebSocket on 127.0.0.1
 * behind a token, prints the URL and a live status table, and stops everything on Ctrl-C / SIGTERM.
 * With `--no-cluster` (`failover-lab ui`) it only serves the app: creating a cluster is the UI's first step.
 */
export async function runUpCommand(argv: readonly string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        brokers: { type: 'string', default: '3' },
        store: { type: 'string', default: 'sqlite' },
        config: { type: 'string', short: 'c', multiple: true },
        locker: { type: 'string' },
        'keep-alive': { type: 'string' },
        'lock-acquire-sleep': { type: 'string' },
        port: { type: 'string', default: '0' },
        'lab-dir': { type: 'string' },
        'save-pgmem': { type: 'string' },
        'no-supervise': { type: 'boolean', default: false },
        'no-table': { type: 'boolean', default: false },
        'no-cluster': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        D: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${UP_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${UP_USAGE}\n`);
    return 0;
  }
  const labDir = labDirOf(values['lab-dir']);
  const running = await readState(labDir);
  if (running && processAlive(running.pid)) {
    process.stderr.write(`a lab is already running from ${labDir} (pid ${running.pid}): ${running.url}\n`);
    return 1;
  }
  const properties = parseProperties(values.D ?? []);
  if (typeof properties === 'string') {
    process.stderr.write(`${properties}\n`);
    return 2;
  }
  const configs = values.config ?? [];
  const numbers = (name: string, text: string | undefined) => {
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!Number.isInteger(n)) throw new LabApiError('bad-request', `--${name} must be a whole number, got "${text}"`);
    return n;
  };

  const service = new LabService({ launcher: new NodeProcessLauncher(), labDir });
  // The user named this file on the command line: the lab may save there, but never over a file.
  const saveTo = values['save-pgmem'] ? service.grantSavePath(values['save-pgmem']) : null;
  if (saveTo && existsSync(saveTo)) {
    process.stderr.write(`failover-lab up: --save-pgmem ${saveTo} exists; the lab never replaces a file without asking: remove it or choose another\n`);
    return 2;
  }
  let web: Awaited<ReturnType<typeof startWebServer>> | null = null;
  let table: NodeJS.Timeout | null = null;
  try {
    const payload: LabPayload<'cluster/create'> = {
      brokers: numbers('brokers', values.brokers),
      store: values.store,
      properties,
      supervise: !values['no-supervise'],
      start: true,
      ...(values.locker ? { locker: values.locker as 'database-locker' } : {}),
      ...(values['keep-alive'] ? { keepAliveMs: numbers('keep-alive', values['keep-alive']) } : {}),
      ...(values['lock-acquire-sleep'] ? { lockAcquireSleepIntervalMs: numbers('lock-acquire-sleep', values['lock-acquire-sleep']) } : {}),
    };
    if (configs.length === 1) Object.assign(payload, { configXml: await readFile(configs[0]!, 'utf8'), configName: basename(configs[0]!) });
    if (configs.length > 1) payload.configXmls = await Promise.all(configs.map((f) => readFile(f, 'utf8')));
    const status = values['no-cluster'] ? null : await service.invoke('cluster/create', payload);
    web = await startWebServer({ api: service, port: numbers('port', values.port) ?? 0 });
    await writeState(labDir, { url: web.url, apiBase: `http://127.0.0.1:${web.port}`, token: web.token, pid: process.pid, clusterId: status?.id ?? null, startedAt: Date.now() });
    if (!web.servesApp) process.stderr.write(`failover-lab up: ${BUILD_APP_HINT}\n`);
    if (values.json) process.stdout.write(JSON.stringify({ url: web.url, labDir, clusterId: status?.id ?? null, store: status?.store ?? null }) + '\n');
    else if (!status) process.stdout.write(`Failover Lab: ${web.url}\nno cluster yet: create one in the app (lab directory ${labDir})\n`);
    else process.stdout.write(`Failover Lab: ${web.url}\nlab directory: ${status.dir}\nstore limits:\n${status.store.limits.map((l) => `  - ${l}`).join('\n')}\n`);
    if (status && !values['no-table'] && !values.json && process.stdout.isTTY) {
      table = setInterval(() => {
        void service.invoke('cluster/status').then((s) => process.stdout.write(`\x1b[2J\x1b[H${web?.url ?? ''}\n\n${formatStatusTable(s)}\n\nCtrl-C stops the lab (brokers stopped cleanly, data kept).\n`));
      }, 500);
    }
  } catch (error) {
    process.stderr.write(`failover-lab up: ${(error as Error).message}\n`);
    await service.close().catch(() => undefined);
    await web?.stop();
    return error instanceof LabApiError && error.reason === 'bad-request' ? 2 : 1;
  }

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  if (table) clearInterval(table);
  process.stderr.write(`failover-lab up: ${signal}: stopping the brokers\n`);
  let code = 0;
  try {
    if (saveTo) {
      await service.invoke('store/save', { file: saveTo });
      process.stderr.write(`pg-mem saved to ${saveTo}\n`);
    }
  } catch (error) {
    process.stderr.write(`could not save pg-mem: ${(error as Error).message}\n`);
    code = 1;
  }
  await web?.stop();
  await service.close();
  await removeState(labDir, process.pid);
  return code;
}
