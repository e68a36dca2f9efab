import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code; tests that cross processes live under test/ (STYLE.md 5).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['broker/**/*.test.ts', 'src-main/**/*.test.ts'],
          environment: 'node',
          testTimeout: 20_000,
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
        },
      },
      {
        test: {
          // Long runs (a soak with 20 faults takes minutes): `vitest run --project slow`.
          name: 'slow',
          include: ['test/slow/**/*.test.ts'],
          environment: 'node',
          testTimeout: 600_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        plugins: [vue()],
        test: {
          name: 'renderer',
          include: ['src-renderer/**/*.test.ts'],
          environment: 'happy-dom',
        },
      },
      {
        test: {
          name: 'e2e',
          // Debian's Chromium driving the built renderer in web mode (`npm run build:app` first).
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
