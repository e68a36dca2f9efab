import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LabApiError } from '../api/lab-errors.js';
import { createLineSplitter } from '../util/index.js';
import type { LaunchHandlers, LaunchSpec, LaunchedProcess, ProcessExit, ProcessLauncher } from './process-launcher.js';

/**
 * The bundled broker program (scripts/bundle-broker.mjs): next to this file in dist/, or under dist/
 * when this file runs from source (tests). `npm run build:node` builds it.
 */
export function defaultBrokerMain(): string {
  const compiled = import.meta.url.includes('/dist/src-main/');
  return fileURLToPath(new URL(compiled ? '../../broker/bundle/broker.cjs' : '../../dist/broker/bundle/broker.cjs', import.meta.url));
}

export interface NodeProcessLauncherOptions {
  /** The broker entry script; default `defaultBrokerMain()`. */
  brokerMain?: string;
  /** The Node binary; default this process's (Electron passes ELECTRON_RUN_AS_NODE=1 in env). */
  execPath?: string;
  env?: Readonly<Record<string, string>>;
}

/** Spawns each broker as `node dist/broker/bundle/broker.cjs <args>` with stdin for the control channel. */
export class NodeProcessLauncher implements ProcessLauncher {
  private readonly brokerMain: string;

  constructor(private readonly options: NodeProcessLauncherOptions = {}) {
    this.brokerMain = options.brokerMain ?? defaultBrokerMain();
  }

  launch(spec: LaunchSpec, handlers: LaunchHandlers): LaunchedProcess {
    if (!existsSync(this.brokerMain)) {
      throw new LabApiError('failed', `the broker program ${this.brokerMain} is missing: run \`npm run build:node\``);
    }
    const child = spawn(this.options.execPath ?? process.execPath, [this.brokerMain, ...spec.args], {
      cwd: spec.cwd,
      env: { ...process.env, ...this.options.env, ...spec.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const exited = new Promise<ProcessExit>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      child.once('error', () => resolve({ code: null, signal: null }));
    });
    child.stdout.setEncoding('utf8').on('data', createLineSplitter(handlers.onLine));
    child.stderr.setEncoding('utf8').on('data', handlers.onStderr);
    // A broker that exits while the lab writes to it must not crash the lab (EPIPE).
    child.stdin.on('error', () => undefined);
    return {
      pid: child.pid ?? -1,
      exited,
      signal: (signal) => child.exitCode === null && child.signalCode === null && child.kill(signal),
      writeLine: (line) => {
        if (child.stdin.writable) child.stdin.write(`${line}\n`);
      },
    };
  }
}
