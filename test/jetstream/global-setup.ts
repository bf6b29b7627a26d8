// Starts the NATS cluster the JetStream tests share (3 nodes of nats-server on loopback, ports chosen at
// run time, temporary stores), or takes MQ_TEST_NATS_URL. No server: the run fails, saying how to
// install one (these tests never skip).
import type { TestProject } from 'vitest/node';
import { findNatsServer, startCluster } from '../helpers/nats-cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    natsUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const given = process.env.MQ_TEST_NATS_URL;
  if (given) {
    project.provide('natsUrl', given);
    return undefined;
  }
  if (!findNatsServer()) {
    throw new Error('the JetStream tests need nats-server (apt-get install -y nats-server), or MQ_TEST_NATS_URL naming a running cluster');
  }
  const cluster = await startCluster();
  project.provide('natsUrl', cluster.url);
  return () => cluster.stop();
}
