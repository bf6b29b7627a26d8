// A real mq serve on 127.0.0.1 (an ephemeral port) over a backend, with the AWS SDK clients pointed at it,
// as an application would configure them: over a fresh file store (startTestServer, stopped and its store
// removed after each test), or over each test's backend of a contract suite (useServedBackend).
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { SQSClient } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterEach } from 'vitest';
import { openBackend } from '../../src/backends.js';
import type { Backend } from '../../src/core/backend.js';
import type { AccessLogEntry, Authenticator } from '../../src/serve/api/dispatch.js';
import { type RunningServer, startServer } from '../../src/serve/server.js';
import { type BackendFactory, useFreshBackend } from '../contract/backend-fixture.js';
import { tempHome } from './tmp-home.js';

// The SDK warns once per process that Node 20 will not be supported by its 2027 releases.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export interface TestServer {
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

export interface ServeTestOptions {
  authenticator?: Authenticator;
  keys?: ReadonlyMap<string, string>;
  maxBodyBytes?: number;
}

const running: { close(): Promise<void> }[] = [];

afterEach(async () => {
  for (const served of running.splice(0)) await served.close();
});

export const CREDENTIALS = { accessKeyId: 'test-key', secretAccessKey: 'test-secret' };

// Serves a backend the caller owns; close() destroys the clients and stops the server, not the backend.
async function serveBackend(backend: Backend, options: ServeTestOptions = {}): Promise<TestServer & { close(): Promise<void> }> {
  const log: AccessLogEntry[] = [];
  const server = await startServer({
    backend,
    host: '127.0.0.1',
    port: 0,
    authenticator: options.authenticator ?? null,
    ...(options.keys ? { keys: options.keys } : {}),
    log: (entry) => log.push(entry),
    ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}),
  });
  const common = { endpoint: server.endpoint, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 };
  const sqs = new SQSClient(common);
  const kinesis = new KinesisClient(common);
  const kinesisH1 = new KinesisClient({ ...common, requestHandler: new NodeHttpHandler() });
  return {
    backend, server, endpoint: server.endpoint, sqs, kinesis, kinesisH1, log,
    queueUrl: (name) => `${server.endpoint}/000000000000/${name}`,
    async close() {
      for (const client of [sqs, kinesis, kinesisH1]) client.destroy();
      await server.close();
    },
  };
}

export async function startTestServer(options: ServeTestOptions = {}): Promise<TestServer & { home: string }> {
  const home = tempHome();
  const backend = openBackend({ home, durability: 'none' });
  const served = await serveBackend(backend, options);
  running.push({
    async close() {
      await served.close();
      await backend.close();
    },
  });
  return { ...served, home };
}

// Around each test of a contract suite: a fresh backend from the factory, served, handed to `use`; after
// the test the server stops before the factory's cleanup drops the backend.
export function useServedBackend(makeBackend: BackendFactory, use: (t: TestServer) => void): void {
  useFreshBackend(async () => {
    const made = await makeBackend();
    const served = await serveBackend(made.backend);
    use(served);
    return {
      backend: made.backend,
      async cleanup() {
        await served.close();
        await made.cleanup();
      },
    };
  }, () => {});
}
