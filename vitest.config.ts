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
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Real broker processes and one PostgreSQL: run files one at a time on 2 cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
