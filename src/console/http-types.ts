// The request and response the console works with: node:http's, or node:http2's compatibility API (mq
// serve answers HTTP/1.1 and HTTP/2 on one port), which share what the console uses.
import type http from 'node:http';
import type http2 from 'node:http2';

export type Request = http.IncomingMessage | http2.Http2ServerRequest;
// What the console calls on a response, which node:http's and node:http2's both have (checked by
// test/console/http-types.test.ts).
export interface Response {
  readonly headersSent: boolean;
  statusCode: number;
  writeHead(status: number, headers?: Record<string, string | string[]>): unknown;
  write(chunk: string | Uint8Array): boolean;
  end(chunk?: string | Uint8Array): unknown;
  once(event: 'close' | 'finish', listener: () => void): unknown;
}

export function headerOf(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

// The Host header, or HTTP/2's :authority.
export function hostOf(req: Request): string | undefined {
  return headerOf(req, 'host') ?? headerOf(req, ':authority');
}
