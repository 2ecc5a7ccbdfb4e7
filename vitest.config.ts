import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests share one Redis and a 2-core machine; a few files at a time keeps them honest.
    maxWorkers: 2,
  },
});
