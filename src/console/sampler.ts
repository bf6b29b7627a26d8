// The overview's readings of the store: every queue's stats and every stream's description and groups,
// with rates and the last minute's history. One sample serves every page and live connection asking
// within the same second; while any live connection listens, a sample is taken every second and pushed.
import type { Backend } from '../core/backend.js';
import type { Clock } from '../core/clock.js';
import type { QueueStats } from '../core/queue-types.js';
import { parseSequence } from '../core/sequence-numbers.js';
import type { GroupShardLag, StreamDescription } from '../core/stream-types.js';
import { readStore } from '../metrics/store-metrics.js';
import { SampleHistory } from '../core/sample-history.js';

export interface QueueRow {
  stats: QueueStats;
  inPerSecond: number | null;
  outPerSecond: number | null;
  // Visible messages over the last minute.
  visibleHistory: number[];
}

export interface StreamRow {
  description: StreamDescription;
  groups: GroupShardLag[];
  putPerSecond: number | null;
  // Unexpired records over the last minute.
  recordsHistory: number[];
}

export interface OverviewSnapshot {
  at: number;
  queues: QueueRow[];
  streams: StreamRow[];
}

export type SnapshotListener = (snapshot: OverviewSnapshot) => void;

// Records ever put to the stream's listed shards: each shard's counter starts at 1 and grows by one per
// record, so the newest sequence number counts them.
function putsSoFar(description: StreamDescription): number {
  return description.shards.reduce((sum, shard) => sum + (shard.lastSequence ? parseSequence(shard.lastSequence).counter : 0), 0);
}

export class OverviewSampler {
  private readonly history = new SampleHistory();
  private readonly listeners = new Set<SnapshotListener>();
  private latestSnapshot: OverviewSnapshot | null = null;
  private pending: Promise<OverviewSnapshot> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly backend: Backend, private readonly clock: Clock, private readonly intervalMs = 1000) {}

  // A sample no older than the interval (taken now if needed; concurrent callers share one).
  latest(): Promise<OverviewSnapshot> {
    if (this.latestSnapshot && this.clock.now() - this.latestSnapshot.at < this.intervalMs) return Promise.resolve(this.latestSnapshot);
    this.pending ??= this.sample().finally(() => (this.pending = null));
    return this.pending;
  }

  // Calls `listener` with a sample every interval until the returned function is called.
  subscribe(listener: SnapshotListener): () => void {
    this.listeners.add(listener);
    if (!this.timer) this.schedule(0);
    return () => {
      this.listeners.delete(listener);
    };
  }

  close(): void {
    this.closed = true;
    this.listeners.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => void this.tick(), delayMs);
  }

  private async tick(): Promise<void> {
    const startedAt = this.clock.now();
    try {
      const snapshot = await this.latest();
      for (const listener of this.listeners) listener(snapshot);
    } catch {
      // A failed sample (the store briefly unreadable) is retried at the next tick; pages show the error.
    }
    this.timer = null;
    if (!this.closed && this.listeners.size > 0) this.schedule(Math.max(0, startedAt + this.intervalMs - this.clock.now()));
  }

  private async sample(): Promise<OverviewSnapshot> {
    const at = this.clock.now();
    const reading = await readStore(this.backend);
    const queues = reading.queues.map((stats) => queueRow(this.history, stats, at));
    const streams = reading.streams.map(({ description, groups }) => streamRow(this.history, description, groups, at));
    this.history.keepOnly(new Set([...queues.map((q) => `queue:${q.stats.name}`), ...streams.map((s) => `stream:${s.description.name}`)]));
    this.latestSnapshot = { at, queues, streams };
    return this.latestSnapshot;
  }

  // The latest sample if it is recent (for a page's first rates, without a new sample of every queue).
  recent(): OverviewSnapshot | null {
    return this.latestSnapshot && this.clock.now() - this.latestSnapshot.at < 5 * this.intervalMs ? this.latestSnapshot : null;
  }
}

export function queueRow(history: SampleHistory, stats: QueueStats, at: number): QueueRow {
  const stored = stats.visible + stats.inFlight + stats.delayed;
  const { plot, perSecond } = history.observe(`queue:${stats.name}`, at, stats.visible, stored);
  return {
    stats,
    inPerSecond: perSecond === null ? null : Math.max(0, perSecond),
    outPerSecond: perSecond === null ? null : Math.max(0, -perSecond),
    visibleHistory: plot,
  };
}

export function streamRow(history: SampleHistory, description: StreamDescription, groups: GroupShardLag[], at: number): StreamRow {
  const records = description.shards.reduce((sum, shard) => sum + shard.records, 0);
  const { plot, perSecond } = history.observe(`stream:${description.name}`, at, records, putsSoFar(description));
  return { description, groups, putPerSecond: perSecond === null ? null : Math.max(0, perSecond), recordsHistory: plot };
}
