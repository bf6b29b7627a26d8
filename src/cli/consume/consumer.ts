// The `mq consume` worker over any StreamStore (the KCL model). Every third of the failover timeout it
// renews the leases it holds, announces itself to the group, and balances: with W live workers and R
// shards ready to read (lineage order: parents finished first), it takes free or expired leases up to
// ceil(R / W) and gives back what it holds above that at the next batch boundary. Each held shard has
// its own processor (shard-processor.ts). SIGINT/SIGTERM: every processor finishes its batch,
// checkpoints, releases its lease; then the worker leaves the group.
import { planBalance } from '../../core/leases.js';
import { readyShards } from '../../core/lineage.js';
import { groupCheckpoints, startGroup } from '../../core/stream-groups.js';
import type { StreamStore } from '../../core/stream-store.js';
import type { StreamPosition, StreamRecord } from '../../core/stream-types.js';
import type { HandlerOutcome } from '../work/handler-process.js';
import type { RetryPolicy } from '../work/retry.js';
import { type ProcessorReport, ShardProcessor } from './shard-processor.js';

export interface ConsumerOptions {
  store: StreamStore;
  stream: string;
  group: string;
  workerId: string;
  start: StreamPosition;
  batchSize: number;
  failoverTimeoutMs: number;
  retry: RetryPolicy;
  // Aborted on SIGINT/SIGTERM: finish the batches in hand, checkpoint, release, exit.
  interrupt: AbortSignal;
  now: () => number;
  run: (shardId: string, records: StreamRecord[]) => Promise<HandlerOutcome>;
  warn: (text: string) => void;
}

export interface ConsumerReport extends ProcessorReport {
  shardsTaken: number;
  interrupted: boolean;
  elapsedMs: number;
  spawnError?: NodeJS.ErrnoException;
  error?: unknown;
}

// How often leases are renewed and shards balanced: a third of the failover timeout (as KCL), so a
// lease survives two missed renewals.
export function renewIntervalMs(failoverTimeoutMs: number): number {
  return Math.max(100, Math.floor(failoverTimeoutMs / 3));
}

export async function runConsumer(options: ConsumerOptions): Promise<ConsumerReport> {
  const { store, stream, group, workerId, now } = options;
  const startedAt = now();
  const report: ConsumerReport = {
    records: 0, batches: 0, failedRuns: 0, shardsFinished: 0, leasesLost: 0, shardsTaken: 0, interrupted: false, elapsedMs: 0,
  };
  const processors = new Map<string, ShardProcessor>();
  let stopping = false;
  let wake: (() => void) | null = null;
  // A nudge while no round is waiting makes the next wait return at once.
  let nudged = false;
  const nudge = () => {
    nudged = true;
    const resume = wake;
    wake = null;
    resume?.();
  };
  const stop = () => {
    stopping = true;
    for (const processor of processors.values()) processor.stop();
    nudge();
  };
  const onInterrupt = () => {
    report.interrupted = true;
    stop();
  };
  const processorContext = {
    store, stream, group, start: options.start, batchSize: options.batchSize, failoverTimeoutMs: options.failoverTimeoutMs,
    retry: options.retry, run: options.run, warn: options.warn, report,
    fail: (error: unknown, spawnError?: NodeJS.ErrnoException) => {
      if (spawnError) report.spawnError ??= spawnError;
      else report.error ??= error;
      stop();
    },
  };

  // One round: announce ourselves, then take or give back shards as the balance says.
  const balance = async () => {
    const workers = await store.announceWorker(stream, group, workerId, options.failoverTimeoutMs);
    const { shards } = await store.get(stream);
    const ready = readyShards(shards, await groupCheckpoints(store, stream, group));
    const plan = planBalance({
      ready: ready.map((s) => s.shardId), leases: await store.leases(stream, group), workers, me: workerId,
      held: [...processors.keys()], nowMs: now(),
    });
    for (const shardId of plan.shed) processors.get(shardId)?.shed();
    let want = plan.want;
    for (const shardId of plan.candidates) {
      if (want <= 0 || stopping) break;
      const lease = await store.takeLease(stream, group, shardId, workerId, options.failoverTimeoutMs);
      if (!lease) continue;
      want--;
      report.shardsTaken++;
      const shard = ready.find((s) => s.shardId === shardId)!;
      processors.set(shardId, new ShardProcessor(shard, lease, processorContext, (finished) => {
        processors.delete(shardId);
        // A finished parent may have made its children ready: balance again at once.
        if (finished) nudge();
      }));
    }
  };

  if (options.interrupt.aborted) onInterrupt();
  else options.interrupt.addEventListener('abort', onInterrupt, { once: true });
  try {
    // A new group starts every shard at the start position, recorded at once.
    await startGroup(store, stream, group, (await store.get(stream)).shards, options.start);
    while (!stopping) {
      await Promise.all([...processors.values()].map((processor) => processor.renew()));
      nudged = false;
      await balance();
      if (stopping || nudged) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => nudge(), renewIntervalMs(options.failoverTimeoutMs));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } catch (error) {
    report.error ??= error;
    stop();
  } finally {
    options.interrupt.removeEventListener('abort', onInterrupt);
  }
  // Keep the leases of the processors still finishing their batch alive until they release them.
  const renewing = setInterval(() => {
    for (const processor of processors.values()) void processor.renew().catch(() => {});
  }, renewIntervalMs(options.failoverTimeoutMs));
  try {
    while (processors.size > 0) await Promise.all([...processors.values()].map((p) => p.done));
  } finally {
    clearInterval(renewing);
  }
  try {
    await store.announceWorker(stream, group, workerId, 0);
  } catch {
    // Gone with the stream, or unwritable: the announcement expires by itself.
  }
  report.elapsedMs = now() - startedAt;
  return report;
}
