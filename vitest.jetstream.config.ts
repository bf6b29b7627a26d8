// npm run test:jetstream: the tests that need a NATS JetStream cluster (test/jetstream/). The global
// setup starts a 3-node cluster of nats-server on loopback (or uses MQ_TEST_NATS_URL); without a server
// the run fails.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/jetstream/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One cluster for every file; files run one at a time (the cluster is the shared resource, and the
    // failover tests stop and start nodes of their own clusters).
    fileParallelism: false,
    globalSetup: ['test/helpers/global-setup.ts', 'test/jetstream/global-setup.ts'],
  },
});
