import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/integration/**', 'tests/infra/aws/**', 'node_modules/**'],
        },
      },
      {
        test: {
          name: 'cdk',
          include: ['tests/infra/aws/**/*.test.ts'],
          // Each file synthesises the whole app, bundling every handler with esbuild.
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          // Each file starts its own emulators; on two cores they run best one file at a time.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
