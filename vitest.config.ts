import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code; tests that cross processes live under test/ (docs/design.md, Conventions).
// The projects run one group after another (sequence.groupOrder): the in-process ones first, then
// each process-heavy project on its own, so real brokers, Chromium and npm never compete for the
// same 2 cores with another project's processes.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['broker/**/*.test.ts', 'src-main/**/*.test.ts', 'build/**/*.test.ts'],
          environment: 'node',
          // A ceiling against hangs only: on a busy 2-core machine real sockets and SQLite take seconds.
          testTimeout: 60_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        plugins: [vue()],
        test: {
          name: 'renderer',
          include: ['src-renderer/**/*.test.ts'],
          environment: 'happy-dom',
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', 'test/slow/**'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Real broker processes and one PostgreSQL: run files one at a time on 2 cores.
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: 'e2e',
          // Debian's Chromium driving the built renderer in web mode (`npm run build:app` first).
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
      {
        test: {
          name: 'slow',
          // A fresh clone, `npm ci` (better-sqlite3 compiles from source) and the README's first
          // command: minutes of work, so generous ceilings that only guard against a hang.
          include: ['test/slow/**/*.test.ts'],
          environment: 'node',
          // Measured on a 2-core machine shared with other builds: npm ci 4 to 13 min, removing
          // the clone 1.5 min.
          testTimeout: 1_800_000,
          hookTimeout: 300_000,
          fileParallelism: false,
          sequence: { groupOrder: 3 },
        },
      },
    ],
  },
});
