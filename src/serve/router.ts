// Which code answers which request: a list of routes, the first that matches wins, and a 404 for the
// rest. The AWS APIs are one route (a POST to any path, or a query-protocol GET with an Action); pages
// and metrics can be added in front of it without touching the API.
import type { RequestHandler } from './http/listener.js';

type Request = Parameters<RequestHandler>[0];
type Response = Parameters<RequestHandler>[1];

export interface Route {
  name: string;
  matches(req: Request, url: URL): boolean;
  handle(req: Request, res: Response): Promise<void>;
}

export function createRouter(routes: Route[]): RequestHandler {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = routes.find((candidate) => candidate.matches(req, url));
    if (!route) {
      const body = 'Not found: mq serve answers the SQS and Kinesis APIs (POST with X-Amz-Target, or an SQS query Action).\n';
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    route.handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-length': 0 });
      res.end();
    });
  };
}

export function awsApiRoute(handle: Route['handle']): Route {
  return {
    name: 'aws-api',
    matches: (req, url) => req.method === 'POST' || (req.method === 'GET' && (url.searchParams.has('Action') || req.headers['x-amz-target'] !== undefined)),
    handle,
  };
}
