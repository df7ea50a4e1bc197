import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two cores, three files at a time: the e2e files spend much of their time waiting on the
    // gateways, mocks and CLI processes they start, so a third file fills the idle core time
    // (measured: 846 s for .ci/run with two on a fresh clone of this 2-core machine).
    maxWorkers: 3,
  },
});
