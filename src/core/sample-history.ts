// What the live views (`mq top`, the web console) remember of each queue and stream between samples: a
// value to plot over the last minute (a sparkline) and a running total whose growth over the last few
// seconds is a rate. The store keeps no counters of sends, receives or puts (every command is a short
// process, and counting would put a shared write on every one), so rates come from successive samples:
// for a queue, how fast its stored messages grew (in) or shrank (out); for a stream, how fast its shards'
// sequence counters advanced (puts). Pure.

export const HISTORY_MS = 60_000;
export const RATE_WINDOW_MS = 5_000;

interface Point {
  at: number;
  plot: number;
  total: number;
}

export interface SeriesReading {
  // The plotted value at each sample of the last minute, oldest first.
  plot: number[];
  // The total's change per second over the rate window (negative when it shrank); null until there are
  // two samples.
  perSecond: number | null;
}

export class SampleHistory {
  private readonly points = new Map<string, Point[]>();

  observe(key: string, at: number, plot: number, total: number): SeriesReading {
    const points = (this.points.get(key) ?? []).filter((p) => p.at > at - HISTORY_MS && p.at < at);
    points.push({ at, plot, total });
    this.points.set(key, points);
    // The oldest point inside the rate window (or the newest before it, when sampling is slow).
    const base = points.find((p) => p.at >= at - RATE_WINDOW_MS && p.at < at) ?? points.at(-2);
    const perSecond = base && base.at < at ? (total - base.total) / ((at - base.at) / 1000) : null;
    return { plot: points.map((p) => p.plot), perSecond };
  }

  // Forgets the keys not seen in the last round (removed meanwhile).
  keepOnly(keys: Set<string>): void {
    for (const key of this.points.keys()) if (!keys.has(key)) this.points.delete(key);
  }
}
