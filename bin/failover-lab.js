#!/usr/bin/env node
// The `failover-lab` command: a thin entry into the compiled CLI (npm's `prepare` builds dist/).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/src-main/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  process.stderr.write('failover-lab is not built yet: run `npm run build:node` (npm install does it).\n');
  process.exit(1);
}
const { main } = await import(cli.href);
const code = await main(process.argv.slice(2));
// Flush stdout before exiting so the last status line reaches whoever reads it.
process.stdout.write('', () => process.exit(code));
