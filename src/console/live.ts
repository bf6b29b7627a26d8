// Live connections (server-sent events): a bounded set the server can end all at once when it stops,
// and the loop that re-renders a page's regions and sends those that changed.
import { setTimeout as delay } from 'node:timers/promises';
import { EventStream } from './event-stream.js';
import { regionTexts } from './exchange.js';
import type { Html } from './html.js';
import type { Response } from './http-types.js';

// More live connections than this are refused (503); the pages still load and work without.
export const MAX_LIVE_CONNECTIONS = 128;

export class LiveConnections {
  private readonly streams = new Set<EventStream>();

  get size(): number {
    return this.streams.size;
  }

  // A new event stream on `res`, or null when there are too many already.
  open(res: Response): EventStream | null {
    if (this.streams.size >= MAX_LIVE_CONNECTIONS) return null;
    const stream = new EventStream(res);
    this.streams.add(stream);
    stream.signal.addEventListener('abort', () => this.streams.delete(stream), { once: true });
    return stream;
  }

  closeAll(): void {
    for (const stream of [...this.streams]) stream.end();
  }
}

// Waits `ms`, or less when `signal` aborts.
export async function pause(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch {
    // Aborted: the caller checks the signal.
  }
}

// Renders the regions every `intervalMs` and sends the ones that changed, until the browser goes away
// or `render` returns null (the thing shown is gone: the browser is told "done" and stops).
export async function pushRegions(stream: EventStream, intervalMs: number, render: () => Promise<Record<string, Html> | null>): Promise<void> {
  const sent = new Map<string, string>();
  while (!stream.signal.aborted) {
    const regions = await render();
    if (regions === null) {
      stream.send('done', {});
      stream.end();
      return;
    }
    const changed = Object.fromEntries(Object.entries(regionTexts(regions)).filter(([name, text]) => sent.get(name) !== text));
    for (const [name, text] of Object.entries(changed)) sent.set(name, text);
    if (Object.keys(changed).length > 0) stream.send('regions', changed);
    await pause(intervalMs, stream.signal);
  }
}
