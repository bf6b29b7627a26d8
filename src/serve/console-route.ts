// The web console and /metrics as a route of the server: the requests the console claims (pages, its
// forms, its assets, /metrics), timed into the request metrics and the access log like the API's.
import type { ConsoleHandler } from '../console/console-handler.js';
import { headerOf } from '../console/http-types.js';
import type { RequestMetrics } from '../metrics/request-metrics.js';
import type { AccessLogEntry } from './api/dispatch.js';
import type { Route } from './router.js';

export function consoleRoute(handler: ConsoleHandler, requests: RequestMetrics, options: { claimAll: boolean; log?: (entry: AccessLogEntry) => void }): Route {
  return {
    name: 'console',
    matches: (req) => options.claimAll || handler.claims(req),
    async handle(req, res) {
      const started = performance.now();
      const label = handler.actionOf(req);
      res.once('close', () => {
        const ms = performance.now() - started;
        requests.observe(label, res.statusCode, ms / 1000);
        const [service, action] = label.split(':') as [string, string];
        options.log?.({
          time: new Date().toISOString(),
          remote: req.socket?.remoteAddress ?? '-',
          http: req.httpVersion,
          service,
          action,
          protocol: '-',
          status: res.statusCode,
          ms: Math.round(ms * 10) / 10,
          bytesIn: Number(headerOf(req, 'content-length') ?? 0) || 0,
          // A live stream has no length: it counts as 0.
          bytesOut: Number(res.getHeader('content-length') ?? 0) || 0,
        });
      });
      await handler.handle(req, res);
    },
  };
}
