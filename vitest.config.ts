import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests that need a NATS cluster run apart: npm run test:jetstream (vitest.jetstream.config.ts).
    exclude: ['test/jetstream/**', '**/node_modules/**'],
    // End-to-end tests run the built binary (npm test builds first) and spawn real processes. The
    // deadlines catch a hang, never slowness: on a busy machine (other jobs on both CPUs) a test that takes
    // 10 s idle can take minutes, and must still pass.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    globalSetup: ['test/helpers/global-setup.ts'],
  },
});
