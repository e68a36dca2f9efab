/**
 * The port through which the lab starts broker processes (docs/design.md, Conventions): the Node launcher in the CLI
 * and web mode, the same with ELECTRON_RUN_AS_NODE in the desktop shell, a fake in unit tests.
 */

export interface LaunchSpec {
  /** For messages. */
  name: string;
  /** Arguments of `failover-lab broker` (after the program). */
  args: readonly string[];
  cwd: string;
  env?: Readonly<Record<string, string>>;
}

export interface LaunchHandlers {
  /** One complete stdout line (JSON for a broker). */
  onLine(line: string): void;
  onStderr(text: string): void;
}

export interface ProcessExit {
  code: number | null;
  signal: string | null;
}

export interface LaunchedProcess {
  readonly pid: number;
  readonly exited: Promise<ProcessExit>;
  /** Sends a signal; false when the process is already gone. */
  signal(signal: NodeJS.Signals): boolean;
  /** Writes one line to the process's stdin (the broker's control channel). */
  writeLine(line: string): void;
}

export interface ProcessLauncher {
  launch(spec: LaunchSpec, handlers: LaunchHandlers): LaunchedProcess;
}
