import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'missions/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Most suites wait on child processes, brokers and databases rather than compute; the default
    // (one worker on a 2-core machine) left CI running them one after another.
    maxWorkers: 3,
    globalSetup: ['test/global-setup.ts'],
  },
});
