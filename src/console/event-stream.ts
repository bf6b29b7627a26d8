// A server-sent event stream (text/event-stream) on a response: named events with JSON data, a comment
// now and then so that proxies keep the connection, and a signal that aborts when the browser goes away
// or the server stops.
import type { Response } from './http-types.js';

const HEARTBEAT_MS = 15_000;

export class EventStream {
  private readonly controller = new AbortController();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly res: Response) {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    });
    // A browser that lost the connection tries again after this many milliseconds.
    res.write('retry: 2000\n\n');
    this.heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    this.heartbeat.unref();
    res.once('close', () => this.stop());
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  // One event; with an id, a browser that reconnects sends it back as Last-Event-ID.
  send(event: string, data: unknown, id?: string): void {
    if (this.signal.aborted) return;
    this.res.write(`${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  end(): void {
    if (!this.signal.aborted) this.res.end();
    this.stop();
  }

  private stop(): void {
    clearInterval(this.heartbeat);
    this.controller.abort();
  }
}
