import { parseProperties } from './cli-properties.js';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import type { Durability } from '../store/persistence-adapter.js';
import { loadConfigFile, formatDiagnostic } from '../config/index.js';
import { createAdjustableClock } from '../util/clock.js';
import { listenForControl } from './control-channel.js';
import { createJsonLogger } from '../util/log.js';
import { BrokerService } from './broker-service.js';
import { EXIT } from './status.js';
import { slaveCompilerTiers } from './compiler-tiers.js';

const USAGE = `usage: failover-lab broker --config <activemq.xml> [--name <brokerName>] [-D key=value ...]
                           [--durability normal|full|off] [--clock-offset <ms>] [--control stdin]`;

const DURABILITIES: readonly Durability[] = ['off', 'normal', 'full'];


/**
 * `failover-lab broker`: runs one broker in the foreground. Status and logs are JSON lines on stdout;
 * config diagnostics are human lines on stderr. Resolves with the exit code (see `EXIT`).
 */
export async function runBrokerCommand(argv: readonly string[]): Promise<number> {
  // Every broker starts as a would-be slave; the optimizing compilers come back with the lock.
  const tiers = slaveCompilerTiers();
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        config: { type: 'string', short: 'c' },
        name: { type: 'string' },
        D: { type: 'string', short: 'D', multiple: true },
        durability: { type: 'string', default: 'normal' },
        'clock-offset': { type: 'string', default: '0' },
        control: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return EXIT.config;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  if (!values.config) {
    process.stderr.write(`--config is required\n${USAGE}\n`);
    return EXIT.config;
  }
  const properties = parseProperties(values.D ?? []);
  if (typeof properties === 'string') {
    process.stderr.write(`${properties}\n${USAGE}\n`);
    return EXIT.config;
  }
  const durability = values.durability as Durability;
  if (!DURABILITIES.includes(durability)) {
    process.stderr.write(`--durability must be one of ${DURABILITIES.join(', ')}\n`);
    return EXIT.config;
  }
  if (values.control !== undefined && values.control !== 'stdin') {
    process.stderr.write(`--control takes only "stdin"\n`);
    return EXIT.config;
  }
  const clockOffsetMs = Number(values['clock-offset']);
  if (!Number.isFinite(clockOffsetMs)) {
    process.stderr.write(`--clock-offset must be a number of milliseconds\n`);
    return EXIT.config;
  }

  const loaded = await loadConfigFile(values.config, {
    properties,
    cwd: process.cwd(),
    ...(values.name ? { brokerName: values.name } : {}),
  });
  for (const diagnostic of loaded.diagnostics) {
    process.stderr.write(`${formatDiagnostic(diagnostic, values.config)}\n`);
  }
  if (!loaded.config || loaded.diagnostics.some((d) => d.severity === 'error')) return EXIT.config;

  const config = loaded.config;
  const out = { write: (line: string) => void process.stdout.write(line) };
  const logger = createJsonLogger(out, { broker: config.brokerName, pid: process.pid });
  for (const d of loaded.diagnostics) {
    logger.log(d.severity === 'info' ? 'info' : 'warn', d.message, { code: d.code, line: d.line, column: d.column, path: d.path });
  }
  const clock = createAdjustableClock(clockOffsetMs);
  const service = new BrokerService({
    config,
    durability,
    clock,
    logger,
    emitStatus: (line) => out.write(JSON.stringify(line) + '\n'),
    beforeMaster: () => tiers.forMaster(),
  });
  const onSignal = (signal: NodeJS.Signals) => void service.stop(`received ${signal}`);
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  if (values.control === 'stdin') {
    const close = listenForControl(
      process.stdin,
      (command) => {
        if (command.cmd === 'status') service.reportStatus();
        else if (command.cmd === 'stop') void service.stop('stop requested by the lab');
        else if (command.cmd === 'simulate-db-failure') service.simulateDatabaseFailure(command.failing);
        else if (command.cmd === 'purge') return service.purge(command.destination).then((purged) => ({ destination: command.destination, purged }));
        else {
          clock.setOffset(command.offsetMs);
          logger.log('warn', `clock offset set to ${command.offsetMs} ms`, { fault: 'clock-offset', offsetMs: command.offsetMs });
        }
      },
      (reply) => out.write(JSON.stringify(reply) + '\n'),
    );
    void service.exited.then(close);
  }
  void service.start();
  return service.exited;
}

/** Exits once stdout has been flushed, so the lab sees the final status line. */
function exitAfterFlush(code: number): void {
  process.stdout.write('', () => process.exit(code));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runBrokerCommand(process.argv.slice(2)).then(exitAfterFlush, (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    exitAfterFlush(EXIT.failure);
  });
}
