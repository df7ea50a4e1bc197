import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two cores: the e2e files start gateways, mocks and CLI processes of their own. A third
    // worker was tried and was no faster: the machine is CPU-bound, and the browser tests slowed.
    maxWorkers: 2,
  },
});
