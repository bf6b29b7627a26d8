// The server of `mq console`: node:http on one address, the console handler behind it, the request
// metrics and (optionally) an access log line per request. Stopping ends the live connections first, so
// that closing the server does not wait for them.
import http from 'node:http';
import type net from 'node:net';
import { performance } from 'node:perf_hooks';
import { MqError } from '../core/errors.js';
import { RequestMetrics } from '../metrics/request-metrics.js';
import { type ConsoleOptions, createConsole } from './console-handler.js';
import type { Request } from './http-types.js';

export interface ConsoleServerOptions extends Omit<ConsoleOptions, 'listenHost' | 'requests'> {
  host: string;
  port: number;
  // Called with one line per answered request (the access log).
  log?: (entry: AccessLogEntry) => void;
}

export interface AccessLogEntry {
  time: number;
  remote: string;
  method: string;
  path: string;
  status: number;
  ms: number;
  action: string;
}

export interface RunningConsole {
  url: string;
  close(): Promise<void>;
}

export function serverUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;
}

export function accessLogLine(entry: AccessLogEntry): string {
  return `${new Date(entry.time).toISOString()} ${entry.remote} ${entry.method} ${entry.path} ${entry.status} ${entry.ms.toFixed(1)}ms ${entry.action}`;
}

const FORCE_CLOSE_MS = 5000;

export async function startConsoleServer(options: ConsoleServerOptions): Promise<RunningConsole> {
  const requests = new RequestMetrics();
  const handler = createConsole({ ...options, listenHost: options.host, requests });
  const server = http.createServer({ headersTimeout: 10_000, requestTimeout: 60_000, keepAliveTimeout: 5_000 }, (req, res) => {
    const started = performance.now();
    const action = handler.actionOf(req as Request);
    res.once('close', () => {
      const ms = performance.now() - started;
      requests.observe(action, res.statusCode, ms / 1000);
      options.log?.({
        time: Date.now(), remote: req.socket.remoteAddress ?? '-', method: req.method ?? '-', path: (req.url ?? '/').split('?')[0]!,
        status: res.statusCode, ms, action,
      });
    });
    handler.handle(req, res).catch(() => {
      // Answered with an error page already; an internal error has nothing more to tell the client.
      if (!res.writableEnded) res.end();
    });
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE'
      ? new MqError('IO', `cannot listen on ${options.host}:${options.port}: the port is in use`, { cause: error })
      : new MqError('IO', `cannot listen on ${options.host}:${options.port}: ${error.message}`, { cause: error })));
    server.listen({ host: options.host, port: options.port }, () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    url: serverUrl(options.host, port),
    async close() {
      handler.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), FORCE_CLOSE_MS);
      await closed;
      clearTimeout(force);
    },
  };
}
