import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    pool: 'forks',
    // Two cores here; each worker has its own database, so files run side by side safely.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Servers here run in UTC; an office's may not. Running the tests in a zone ahead of UTC
    // catches code that leans on the machine's zone instead of the group's.
    env: { TZ: 'Asia/Shanghai' },
  },
});
