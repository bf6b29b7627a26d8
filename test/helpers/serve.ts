// A real mq serve on 127.0.0.1 (an ephemeral port) over a fresh file store, with the AWS SDK clients
// pointed at it, as an application would configure them. Stopped (and its store removed) after each test.
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { SQSClient } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterEach } from 'vitest';
import { openBackend } from '../../src/backends.js';
import type { Backend } from '../../src/core/backend.js';
import type { AccessLogEntry, Authenticator } from '../../src/serve/api/dispatch.js';
import { type RunningServer, startServer } from '../../src/serve/server.js';
import { tempHome } from './tmp-home.js';

// The SDK warns once per process that Node 20 will not be supported by its 2027 releases.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export interface TestServer {
  home: string;
  backend: Backend;
  server: RunningServer;
  endpoint: string;
  sqs: SQSClient;
  // The SDK's default: HTTP/2 to an http:// endpoint.
  kinesis: KinesisClient;
  // The same over HTTP/1.1.
  kinesisH1: KinesisClient;
  queueUrl(name: string): string;
  // Every request answered so far, as the access log saw it.
  log: AccessLogEntry[];
}

const running: { server: RunningServer; backend: Backend; clients: { destroy(): void }[] }[] = [];

afterEach(async () => {
  for (const { server, backend, clients } of running.splice(0)) {
    for (const client of clients) client.destroy();
    await server.close();
    await backend.close();
  }
});

export const CREDENTIALS = { accessKeyId: 'test-key', secretAccessKey: 'test-secret' };

export async function startTestServer(options: { authenticator?: Authenticator; maxBodyBytes?: number } = {}): Promise<TestServer> {
  const home = tempHome();
  const backend = openBackend({ home, durability: 'none' });
  const log: AccessLogEntry[] = [];
  const server = await startServer({
    backend,
    host: '127.0.0.1',
    port: 0,
    authenticator: options.authenticator ?? null,
    log: (entry) => log.push(entry),
    ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}),
  });
  const common = { endpoint: server.endpoint, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 };
  const sqs = new SQSClient(common);
  const kinesis = new KinesisClient(common);
  const kinesisH1 = new KinesisClient({ ...common, requestHandler: new NodeHttpHandler() });
  running.push({ server, backend, clients: [sqs, kinesis, kinesisH1] });
  return { home, backend, server, endpoint: server.endpoint, sqs, kinesis, kinesisH1, log, queueUrl: (name) => `${server.endpoint}/000000000000/${name}` };
}
