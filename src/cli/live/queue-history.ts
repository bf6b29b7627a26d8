// What the live view shows of each queue from its samples (core/sample-history.ts): the visible messages
// over the last minute (the sparkline), and how fast the stored messages grew ("in") or shrank ("out")
// over the last few seconds. A queue whose consumers keep pace with its producers shows little of either;
// its depth and oldest age tell that story.
import type { QueueStats } from '../../core/queue-types.js';
import { SampleHistory } from '../../core/sample-history.js';

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
  private readonly samples = new SampleHistory();

  observe(stats: QueueStats, at: number): QueueReading {
    const stored = stats.visible + stats.inFlight + stats.delayed;
    const { plot, perSecond } = this.samples.observe(stats.name, at, stats.visible, stored);
    return {
      stats,
      stored,
      inPerSecond: perSecond === null ? null : Math.max(0, perSecond),
      outPerSecond: perSecond === null ? null : Math.max(0, -perSecond),
      visibleHistory: plot,
    };
  }

  // Drops queues not seen in the last round (removed meanwhile).
  keepOnly(names: Set<string>): void {
    this.samples.keepOnly(names);
  }
}
