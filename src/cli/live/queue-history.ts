// What the live view remembers of each queue between samples: its counts over the last minute, from
// which it draws the sparkline and derives rates. mq keeps no running totals of sends and deletes (every
// command is a short process, and counting would put a shared write on every send and ack), so the
// rates come from successive samples of the number of stored messages: "in" is how fast it grew and
// "out" how fast it shrank over the last few seconds. A queue whose consumers keep pace with its
// producers shows little of either; its depth and oldest age tell that story.
import type { QueueStats } from '../../core/queue-types.js';

export const HISTORY_MS = 60_000;
export const RATE_WINDOW_MS = 5_000;

interface Point {
  at: number;
  visible: number;
  stored: number;
}

export interface QueueReading {
  stats: QueueStats;
  // Messages stored: visible, in flight and delayed.
  stored: number;
  // Messages per second over the rate window; null until two samples are that far apart or closer.
  inPerSecond: number | null;
  outPerSecond: number | null;
  // Visible messages at each sample of the last minute, oldest first.
  visibleHistory: number[];
}

export class QueueHistory {
  private readonly points = new Map<string, Point[]>();

  observe(stats: QueueStats, at: number): QueueReading {
    const stored = stats.visible + stats.inFlight + stats.delayed;
    const points = (this.points.get(stats.name) ?? []).filter((p) => p.at > at - HISTORY_MS && p.at < at);
    points.push({ at, visible: stats.visible, stored });
    this.points.set(stats.name, points);
    // The oldest point inside the rate window (or the newest before it, when sampling is slow).
    const base = points.find((p) => p.at >= at - RATE_WINDOW_MS && p.at < at) ?? points.at(-2);
    let inPerSecond: number | null = null;
    let outPerSecond: number | null = null;
    if (base && base.at < at) {
      const perSecond = (stored - base.stored) / ((at - base.at) / 1000);
      inPerSecond = Math.max(0, perSecond);
      outPerSecond = Math.max(0, -perSecond);
    }
    return { stats, stored, inPerSecond, outPerSecond, visibleHistory: points.map((p) => p.visible) };
  }

  // Drops queues not seen in the last round (removed meanwhile).
  keepOnly(names: Set<string>): void {
    for (const name of this.points.keys()) if (!names.has(name)) this.points.delete(name);
  }
}
