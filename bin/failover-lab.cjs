#!/usr/bin/env node
// The `failover-lab` command: a thin entry into the compiled CLI (npm's `prepare` builds dist/).
// CommonJS on purpose: as an ES module it would load Node's ESM loader into every broker started
// with `failover-lab broker` (about 2 MB of RSS on a waiting slave, measured).
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const cli = join(__dirname, '../dist/src-main/cli/main.js');
const broker = join(__dirname, '../dist/broker/bundle/broker.cjs');
if (!existsSync(cli) || !existsSync(broker)) {
  process.stderr.write('failover-lab is not built yet: run `npm run build:node` (npm install does it).\n');
  process.exit(1);
}
// Flush stdout before exiting so the last status line reaches whoever reads it.
const exit = (code) => process.stdout.write('', () => process.exit(code));
const crash = (error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  exit(1);
};
if (process.argv[2] === 'broker') {
  // A broker runs the bundled program the lab spawns, without the rest of the CLI (a slave
  // started this way would otherwise carry about 5 MB of lab code it never runs).
  require(broker).runBrokerCommand(process.argv.slice(3)).then(exit, crash);
} else {
  import(pathToFileURL(cli).href).then(({ main }) => main(process.argv.slice(2))).then(exit, crash);
}
