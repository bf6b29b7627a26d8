// Starts the NATS cluster the JetStream tests share (3 nodes of nats-server on loopback, ports chosen at
// run time, temporary stores), or takes MQ_TEST_NATS_URL. No server: the tests are skipped, with one
// line saying so, unless MQ_TEST_NATS=require (CI), which makes it a failure.
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
    if (process.env.MQ_TEST_NATS === 'require') throw new Error('MQ_TEST_NATS=require but nats-server is not installed (apt-get install -y nats-server)');
    console.log('JetStream tests skipped: nats-server not found (apt-get install -y nats-server); MQ_TEST_NATS=require makes this a failure');
    project.provide('natsUrl', '');
    return undefined;
  }
  const cluster = await startCluster();
  project.provide('natsUrl', cluster.url);
  return () => cluster.stop();
}
