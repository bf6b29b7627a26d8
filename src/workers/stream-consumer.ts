// The stream consumer (`mq consume`): one worker of a consumer group over any StreamStore (the KCL model). Every third of the failover timeout it
// renews the leases it holds, announces itself to the group, and balances: with W live workers and R
// shards ready to read (lineage order: parents finished first), it takes free or expired leases up to
// ceil(R / W) and gives back what it holds above that at the next batch boundary. Each held shard has
// its own processor (shard-processor.ts). When its signal aborts, every processor finishes its batch,
// checkpoints, releases its lease; then the worker leaves the group.
import { invalidArgument } from '../core/errors.js';
import { planBalance } from '../core/leases.js';
import { readyShards } from '../core/lineage.js';
import { validateGroupName } from '../core/names.js';
import { MINUTE, SECOND } from '../core/queue-attributes.js';
import { STREAM_LIMITS } from '../core/stream-attributes.js';
import { groupCheckpoints, startGroup } from '../core/stream-groups.js';
import type { StreamStore } from '../core/stream-store.js';
import type { StreamPosition, StreamRecord } from '../core/stream-types.js';
import type { StreamConsumerEvent } from './events.js';
import type { FatalHandlerError, HandlerOutcome } from './handler.js';
import type { RetryPolicy } from './retry.js';
import { type ProcessorReport, ShardProcessor } from './shard-processor.js';

export const CONSUMER_DEFAULTS = {
  batchSize: 1000,
  failoverTimeoutMs: 10 * SECOND,
  retryDelayMs: SECOND,
  maxRetryDelayMs: MINUTE,
} as const;

export interface StreamConsumerOptions {
  store: StreamStore;
  stream: string;
  group: string;
  // This worker's name in the group (a group name: 1-128 of A-Z a-z 0-9 _ . -), unique among its workers.
  workerId: string;
  // Runs once per batch of records of one shard; the batch is checkpointed once it succeeds, and runs
  // again (after the retry delay, doubled each time) while it fails.
  handler: (records: StreamRecord[], shardId: string) => Promise<HandlerOutcome>;
  // Where a new group starts every shard (default latest).
  start?: StreamPosition;
  // Most records per handler run (1..10,000; default 1,000).
  batchSize?: number;
  // A lease not renewed for this long is taken over by another worker (at least 1 s; default 10 s).
  failoverTimeoutMs?: number;
  // The first wait before a failed batch runs again (default 1 s), and the longest (default 1 min).
  retry?: { delayMs?: number; maxDelayMs?: number };
  // Aborting stops the worker: each shard's batch in hand finishes and is checkpointed (a failing one is
  // not run again), the leases are released, the worker leaves the group.
  signal?: AbortSignal;
  onEvent?: (event: StreamConsumerEvent) => void;
  now?: () => number;
}

export interface StreamConsumerReport extends ProcessorReport {
  shardsTaken: number;
  // Stopped by its signal.
  interrupted: boolean;
  elapsedMs: number;
  // A handler said no batch can succeed (the command does not exist): the worker stopped.
  fatal?: FatalHandlerError;
  // The store failed; the worker stopped.
  error?: unknown;
}

// How often leases are renewed and shards balanced: a third of the failover timeout (as KCL), so a
// lease survives two missed renewals.
export function renewIntervalMs(failoverTimeoutMs: number): number {
  return Math.max(100, Math.floor(failoverTimeoutMs / 3));
}

export async function runStreamConsumer(options: StreamConsumerOptions): Promise<StreamConsumerReport> {
  const { store, stream, group, workerId } = options;
  validateGroupName(group);
  validateGroupName(workerId);
  const now = options.now ?? Date.now;
  const emit = options.onEvent ?? (() => {});
  const start = options.start ?? { type: 'latest' };
  const batchSize = options.batchSize ?? CONSUMER_DEFAULTS.batchSize;
  const { min: minBatch, max: maxBatch } = STREAM_LIMITS.readLimit;
  if (!Number.isInteger(batchSize) || batchSize < minBatch || batchSize > maxBatch) throw invalidArgument(`batch size must be from ${minBatch} to ${maxBatch}, got ${batchSize}`);
  const failoverTimeoutMs = options.failoverTimeoutMs ?? CONSUMER_DEFAULTS.failoverTimeoutMs;
  if (failoverTimeoutMs < SECOND) throw invalidArgument('the failover timeout must be at least 1s');
  const retry: RetryPolicy = {
    delayMs: options.retry?.delayMs ?? CONSUMER_DEFAULTS.retryDelayMs, backoff: true, maxDelayMs: options.retry?.maxDelayMs ?? CONSUMER_DEFAULTS.maxRetryDelayMs,
  };
  const signal = options.signal ?? new AbortController().signal;
  const startedAt = now();
  const report: StreamConsumerReport = {
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
    store, stream, group, start, batchSize, failoverTimeoutMs, retry, handler: options.handler, emit, report,
    fail: (error: unknown) => {
      report.error ??= error;
      stop();
    },
    fatal: (fatal: FatalHandlerError) => {
      report.fatal ??= fatal;
      stop();
    },
  };

  // One round: announce ourselves, then take or give back shards as the balance says.
  const balance = async () => {
    const workers = await store.announceWorker(stream, group, workerId, failoverTimeoutMs);
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
      const lease = await store.takeLease(stream, group, shardId, workerId, failoverTimeoutMs);
      if (!lease) continue;
      want--;
      report.shardsTaken++;
      emit({ type: 'leaseTaken', shardId });
      const shard = ready.find((s) => s.shardId === shardId)!;
      processors.set(shardId, new ShardProcessor(shard, lease, processorContext, (finished) => {
        processors.delete(shardId);
        // A finished parent may have made its children ready: balance again at once.
        if (finished) nudge();
      }));
    }
  };

  if (signal.aborted) onInterrupt();
  else signal.addEventListener('abort', onInterrupt, { once: true });
  try {
    // A new group starts every shard at the start position, recorded at once.
    await startGroup(store, stream, group, (await store.get(stream)).shards, start);
    while (!stopping) {
      await Promise.all([...processors.values()].map((processor) => processor.renew()));
      nudged = false;
      await balance();
      if (stopping || nudged) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => nudge(), renewIntervalMs(failoverTimeoutMs));
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
    signal.removeEventListener('abort', onInterrupt);
  }
  // Keep the leases of the processors still finishing their batch alive until they release them.
  const renewing = setInterval(() => {
    for (const processor of processors.values()) void processor.renew().catch(() => {});
  }, renewIntervalMs(failoverTimeoutMs));
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
