#!/usr/bin/env node
// npm's `prepare` (run by `npm ci` / `npm install`): builds everything `npx failover-lab up` serves.
// The lab host and the broker (`build:node`) must build: without them nothing runs. The app (the
// renderer, `build:app`) should: where it cannot, the install still succeeds, this says why and how
// to fix it, and web mode serves its plain status page, which says the same.
import { spawnSync } from 'node:child_process';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = (script) => spawnSync(npm, ['run', '--silent', script], { stdio: 'inherit' }).status;

const node = run('build:node');
if (node !== 0) process.exit(node ?? 1);
const app = run('build:app');
if (app !== 0) {
  process.stderr.write(
    `\nfailover-lab: the app (the renderer) could not be built (build:app exited with ${app ?? 'a signal'}; its output is above).\n` +
      '`npx failover-lab up` will serve a plain status page instead of the app until `npm run build:app` succeeds.\n',
  );
}
