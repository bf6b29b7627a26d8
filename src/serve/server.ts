// `mq serve`: the SQS and Kinesis APIs over any backend, on one port (HTTP/1.1 and HTTP/2 cleartext), with
// the web console at / and Prometheus metrics at /metrics beside them (`mq console`: those alone). Only
// the core contract is used (Backend, QueueStore, StreamStore), so the server runs over the file store and
// any other backend alike. close() stops accepting, ends long polls (they answer with what they have) and
// live pages, lets requests in flight finish and closes every connection.
import { createConsole } from '../console/console-handler.js';
import type { Backend } from '../core/backend.js';
import type { AccessKeys } from '../http/access.js';
import { RequestMetrics } from '../metrics/request-metrics.js';
import type { AccessLogEntry, Authenticator } from './api/dispatch.js';
import { createApiHandler } from './api/dispatch.js';
import { consoleRoute } from './console-route.js';
import { kinesisApi } from './kinesis/index.js';
import { DEFAULT_LIMITS, type ListenerLimits, listen } from './http/listener.js';
import { type Route, awsApiRoute, createRouter } from './router.js';
import { sqsApi } from './sqs/index.js';

export interface ServeOptions {
  backend: Backend;
  host: string;
  port: number;
  // Null: accept any credentials (loopback only); else verify SigV4 against these keys.
  authenticator: Authenticator | null;
  // False: only the web console and /metrics (mq console); default true.
  apis?: boolean;
  // The access keys the console and /metrics ask for (HTTP Basic or the sign-in form); none: loopback only.
  keys?: AccessKeys;
  // The console refuses every change (send, purge, redrive).
  consoleReadOnly?: boolean;
  // How the console names the store (never with credentials).
  storeLabel?: string;
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
  const apis = options.apis ?? true;
  // Every request answered, API and console alike, counted for /metrics.
  const requests = new RequestMetrics();
  const webConsole = createConsole({
    backend: options.backend,
    listenHost: options.host,
    requests,
    storeLabel: options.storeLabel ?? 'the store',
    readOnly: options.consoleReadOnly ?? false,
    ...(options.keys ? { keys: options.keys } : {}),
  });
  const routes: Route[] = [consoleRoute(webConsole, requests, { claimAll: !apis, ...(options.log ? { log: options.log } : {}) })];
  if (apis) {
    routes.push(awsApiRoute(createApiHandler({
      backend: options.backend,
      services: [sqsApi, kinesisApi],
      authenticator: options.authenticator,
      listenHost: options.host,
      maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      signal: shutdown.signal,
      log: (entry) => {
        requests.observe(`${entry.service}:${entry.action}`, entry.status, entry.ms / 1000);
        options.log?.(entry);
      },
    })));
  }
  const listener = await listen(options.host, options.port, createRouter(routes), { ...DEFAULT_LIMITS, ...options.limits });
  const host = listener.host.includes(':') ? `[${listener.host}]` : listener.host;
  return {
    host: listener.host,
    port: listener.port,
    endpoint: `http://${host}:${listener.port}`,
    async close() {
      shutdown.abort();
      // Live pages never end by themselves: end them, so that closing does not wait for them.
      webConsole.close();
      await listener.close();
    },
  };
}
