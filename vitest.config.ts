import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests that need a NATS cluster run apart: npm run test:jetstream (vitest.jetstream.config.ts).
    exclude: ['test/jetstream/**', '**/node_modules/**'],
    // End-to-end tests run the built binary (npm test builds first) and spawn real processes.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['test/helpers/global-setup.ts'],
  },
});
