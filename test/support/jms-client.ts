import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { tempDir } from './broker-process.js';

const run = promisify(execFile);

/** ActiveMQ's JMS client from Debian's packages (scripts/setup-system.sh installs them). */
const JARS = ['activemq-client.jar', 'geronimo-jms_1.1_spec.jar', 'hawtbuf.jar', 'slf4j-api.jar', 'geronimo-j2ee-management-1.1-spec.jar'].map(
  (jar) => `/usr/share/java/${jar}`,
);
const SOURCE = fileURLToPath(new URL('./jms/JmsProbe.java', import.meta.url));

/** Null when Java or a jar is missing: the caller skips with that reason. */
export function jmsClientMissing(): string | null {
  const missing = JARS.filter((jar) => !existsSync(jar));
  if (missing.length > 0) return `missing ${missing.join(', ')} (run scripts/setup-system.sh)`;
  return null;
}

/** Compiles JmsProbe.java into a temp dir once per test file and runs its modes. */
export class JmsProbe {
  private constructor(private readonly classpath: string) {}

  static async compile(): Promise<JmsProbe> {
    const out = tempDir('jms');
    await run('javac', ['-d', out, '-cp', JARS.join(':'), SOURCE], { timeout: 120_000 });
    return new JmsProbe([out, ...JARS].join(':'));
  }

  /** Runs one mode to the end; its output lines. Fails with the output when the program fails. */
  async run(args: string[], timeoutMs = 120_000): Promise<string[]> {
    try {
      const { stdout } = await run('java', ['-cp', this.classpath, 'JmsProbe', ...args], { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
      return stdout.split('\n').filter((l) => l !== '');
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string };
      throw new Error(`JmsProbe ${args.join(' ')} failed: ${String(err)}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
    }
  }

  /** Starts a mode and reports each output line as it arrives (the failover test kills a broker mid-stream). */
  start(args: string[], onLine: (line: string) => void): { child: ChildProcess; done: Promise<number | null> } {
    const child = spawn('java', ['-cp', this.classpath, 'JmsProbe', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let buffer = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        onLine(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
      }
    });
    child.stderr?.resume();
    const done = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, done };
  }
}

/** The CHECK lines as name → value. */
export function checks(lines: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines) {
    const m = /^CHECK (\S+) (.*)$/.exec(line);
    if (m) out[m[1] as string] = m[2] as string;
  }
  return out;
}
