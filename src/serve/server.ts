// `mq serve`: the SQS and Kinesis APIs over any backend, on one port (HTTP/1.1 and HTTP/2 cleartext).
// Only the core contract is used (Backend, QueueStore, StreamStore), so the server runs over the file
// store and any other backend alike. close() stops accepting, ends long polls (they answer with what they
// have), lets requests in flight finish and closes every connection.
import type { Backend } from '../core/backend.js';
import type { AccessLogEntry, Authenticator } from './api/dispatch.js';
import { createApiHandler } from './api/dispatch.js';
import { kinesisApi } from './kinesis/index.js';
import { DEFAULT_LIMITS, type ListenerLimits, listen } from './http/listener.js';
import { awsApiRoute, createRouter } from './router.js';
import { sqsApi } from './sqs/index.js';

export interface ServeOptions {
  backend: Backend;
  host: string;
  port: number;
  // Null: accept any credentials (loopback only); else verify SigV4 against these keys.
  authenticator: Authenticator | null;
  maxBodyBytes?: number;
  limits?: Partial<ListenerLimits>;
  log?: (entry: AccessLogEntry) => void;
}

export interface RunningServer {
  host: string;
  port: number;
  // http://host:port, for clients' endpoint setting.
  endpoint: string;
  close(): Promise<void>;
}

// Kinesis's PutRecords takes up to 10 MiB of data, base64-encoded in JSON.
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const shutdown = new AbortController();
  const api = createApiHandler({
    backend: options.backend,
    services: [sqsApi, kinesisApi],
    authenticator: options.authenticator,
    listenHost: options.host,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    signal: shutdown.signal,
    ...(options.log ? { log: options.log } : {}),
  });
  const listener = await listen(options.host, options.port, createRouter([awsApiRoute(api)]), { ...DEFAULT_LIMITS, ...options.limits });
  const host = listener.host.includes(':') ? `[${listener.host}]` : listener.host;
  return {
    host: listener.host,
    port: listener.port,
    endpoint: `http://${host}:${listener.port}`,
    async close() {
      shutdown.abort();
      await listener.close();
    },
  };
}
