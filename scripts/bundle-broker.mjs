#!/usr/bin/env node
// Bundles the compiled broker (dist/broker/server/main.js, from `tsc -p tsconfig.node.json`) into
// one CommonJS program, dist/broker/bundle/broker.cjs, with a chunk per lazily imported part (the
// STOMP core, each store, each locker, the WebSocket transport). Every broker process runs it.
//
// Why: a slave does nothing but wait for the lock, yet as ~45 ES modules it paid for Node's ESM
// loader (its own code, one URL resolution per import) before doing anything. As one CommonJS file
// it starts faster and stays smaller: measured on a waiting slave, 55.1 MB → 53.9 MB RSS
// (docs/benchmarks.md). npm packages and node: built-ins stay outside, loaded with `require`.
import { build } from 'rolldown';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url);
const input = fileURLToPath(new URL('dist/broker/server/main.js', root));
const dir = fileURLToPath(new URL('dist/broker/bundle/', root));

rmSync(dir, { recursive: true, force: true });
await build({
  input,
  platform: 'node',
  // Bare specifiers (npm packages, node: built-ins) are loaded at run time, not copied in.
  external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0'),
  logLevel: 'warn',
  output: {
    dir,
    format: 'cjs',
    entryFileNames: 'broker.cjs',
    chunkFileNames: '[name]-[hash].cjs',
    sourcemap: true,
  },
});
