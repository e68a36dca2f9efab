import { parseArgs } from 'node:util';
import { checkConfigFile, formatDiagnostic } from '../../broker/config/index.js';
import { parseProperties } from '../../broker/server/index.js';

const USAGE = 'usage: failover-lab config check <activemq.xml> [-D key=value ...]';

/** `failover-lab config check <file>`: exit 0 without errors, 2 with errors (warnings allowed). */
export async function runConfigCommand(argv: readonly string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'check') {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: [...rest], options: { D: { type: 'string', short: 'D', multiple: true } }, allowPositionals: true });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const file = parsed.positionals[0];
  if (!file || parsed.positionals.length > 1) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const properties = parseProperties(parsed.values.D ?? []);
  if (typeof properties === 'string') {
    process.stderr.write(`${properties}\n`);
    return 2;
  }
  const { diagnostics, exitCode } = await checkConfigFile(file, { properties, cwd: process.cwd() });
  for (const d of diagnostics) process.stdout.write(`${formatDiagnostic(d, file)}\n`);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  process.stdout.write(`${file}: ${errors} error(s), ${warnings} warning(s)\n`);
  return exitCode;
}
