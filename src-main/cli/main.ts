import { readFileSync } from 'node:fs';

const HELP = `failover-lab: a lab for ActiveMQ-style JDBC Master/Slave broker clusters

usage:
  failover-lab broker --config <activemq.xml> [--name <brokerName>] [-D key=value ...]
                      [--durability normal|full|off] [--clock-offset <ms>]
      Runs one broker in the foreground (status and logs as JSON lines on stdout).
  failover-lab config check <activemq.xml> [-D key=value ...]
      Prints the diagnostics (file:line:col severity message); exit 0 without errors, 2 with errors.
  failover-lab up [--brokers 3] [--store sqlite|pgmem|postgres://...] [--config x.xml] [--port 0] [--lab-dir DIR] ...
      Starts a cluster and serves the lab (LabApi over HTTP + WebSocket) on 127.0.0.1; prints the URL.
  failover-lab ui [--port 0] [--lab-dir DIR] [--json]
      The same without a cluster (up --no-cluster): creating one is the app's first step.
  failover-lab test <scenario.yaml|builtin> [--store ...] [--json out.json] [--html out.html] [--seed N] [--faults N] | --list
      Runs a failover scenario headless, prints the verdict; exit 1 when an expectation fails.
  failover-lab status|start|stop|kill|pause|resume|restart <broker> [--lab-dir DIR] [--json]
  failover-lab fault cut-link|heal-link|latency|db-restart|clock-offset|db-failure ... [--json]
  failover-lab inspect | down
      Talk to the running lab (found through <lab-dir>/state.json).
  failover-lab --version | --help

See docs/cli.md.`;

/** Dispatches a command line; resolves with the exit code. Commands load their modules lazily. */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'broker': {
      const { runBrokerCommand } = await import('../../broker/server/main.js');
      return runBrokerCommand(rest);
    }
    case 'config': {
      const { runConfigCommand } = await import('./config-command.js');
      return runConfigCommand(rest);
    }
    case 'up': {
      const { runUpCommand } = await import('./up-command.js');
      return runUpCommand(rest);
    }
    case 'ui': {
      const { runUpCommand } = await import('./up-command.js');
      return runUpCommand(['--no-cluster', ...rest]);
    }
    case 'test': {
      const { runTestCommand } = await import('./test-command.js');
      return runTestCommand(rest);
    }
    case 'status':
    case 'start':
    case 'stop':
    case 'kill':
    case 'pause':
    case 'resume':
    case 'restart':
    case 'fault':
    case 'inspect':
    case 'down': {
      const { runControlCommand } = await import('./control-commands.js');
      return runControlCommand(command, rest);
    }
    case '--version':
    case 'version': {
      const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
      process.stdout.write(`${pkg.version}\n`);
      return 0;
    }
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(`${HELP}\n`);
      return 0;
    default:
      process.stderr.write(`unknown command "${command}"\n\n${HELP}\n`);
      return 2;
  }
}
