// The `mq work` loop over any QueueStore: long-poll for messages while there is room for more handlers,
// run each FIFO group's messages one after another (and standard messages each on its own), ack what
// succeeded, give back what failed (after the retry delay) and, once asked to stop, take nothing more,
// give back what was taken but not started, and let running handlers finish.
import type { QueueStore } from '../../core/queue-store.js';
import type { ReceivedMessage } from '../../core/queue-types.js';
import { formatDuration } from '../../core/units.js';
import { type HandlerOutcome, describeOutcome } from './handler-process.js';
import { lanesOf } from './lanes.js';
import { Lease } from './lease.js';
import { type RetryPolicy, retryDelayMs } from './retry.js';

// The longest long poll a receive allows (SQS's 20 s).
const MAX_POLL_MS = 20_000;

export interface WorkerOptions {
  store: QueueStore;
  queue: string;
  fifo: boolean;
  concurrency: number;
  maxMessages?: number;
  untilEmpty: boolean;
  visibilityTimeoutMs: number;
  retry: RetryPolicy;
  // The queue's dead-letter policy, if any: a message failing at this receive count goes there next.
  maxReceives: number | null;
  // Aborted on SIGINT/SIGTERM: stop taking messages and drain.
  interrupt: AbortSignal;
  now: () => number;
  run: (message: ReceivedMessage) => Promise<HandlerOutcome>;
  warn: (text: string) => void;
}

export interface WorkerReport {
  taken: number;
  // Handled with exit status 0 (and acked).
  processed: number;
  // Handled without success: left for retry.
  failed: number;
  // Of the failed, those at the queue's max receives: the next receive moves them to the dead-letter queue.
  deadLettered: number;
  // Taken but never started (stopped, or behind a failed message of their FIFO group): given back.
  released: number;
  interrupted: boolean;
  elapsedMs: number;
  // The handler could not be started at all.
  spawnError?: NodeJS.ErrnoException;
  // The store failed (for example the queue was removed); running handlers were still drained.
  error?: unknown;
}

export async function runWorker(options: WorkerOptions): Promise<WorkerReport> {
  const { store, queue, now, warn } = options;
  const startedAt = now();
  const report: WorkerReport = { taken: 0, processed: 0, failed: 0, deadLettered: 0, released: 0, interrupted: false, elapsedMs: 0 };
  const leaseOptions = { store, queue, visibilityTimeoutMs: options.visibilityTimeoutMs, now, warn };
  let stopping = false;
  let held = 0;
  let poll: AbortController | null = null;
  let wake: (() => void) | null = null;
  const running = new Set<Promise<void>>();

  // Something changed (a message settled, or a stop): wake the loop and end a long poll early, so it
  // looks again with the room it now has (and, on a FIFO queue, sees the groups we no longer hold).
  const changed = () => {
    poll?.abort();
    const resume = wake;
    wake = null;
    resume?.();
  };
  const stop = () => {
    stopping = true;
    changed();
  };
  const onInterrupt = () => {
    report.interrupted = true;
    stop();
  };
  if (options.interrupt.aborted) onInterrupt();
  else options.interrupt.addEventListener('abort', onInterrupt, { once: true });

  const settled = () => {
    held--;
    changed();
  };
  const giveBack = async (lease: Lease) => {
    await lease.release(0);
    report.released++;
    settled();
  };

  const handle = async (lease: Lease): Promise<'ok' | 'failed'> => {
    const { message } = lease;
    const outcome = await options.run(message);
    if (outcome.kind === 'exited' && outcome.code === 0) {
      await lease.ack();
      report.processed++;
      return 'ok';
    }
    if (outcome.kind === 'spawnFailed') {
      report.spawnError ??= outcome.error;
      stop();
      await lease.release(0);
      report.released++;
      return 'failed';
    }
    report.failed++;
    const last = options.maxReceives !== null && message.receiveCount >= options.maxReceives;
    if (last) {
      report.deadLettered++;
      warn(`message ${message.id}: ${describeOutcome(outcome)}; received ${message.receiveCount} times, it moves to the dead-letter queue`);
      // No point in waiting: the next receive moves it.
      await lease.release(0);
    } else {
      const delay = retryDelayMs(options.retry, message.receiveCount, lease.inFlightMs());
      warn(`message ${message.id}: ${describeOutcome(outcome)}; retry in ${formatDuration(delay)}`);
      await lease.release(delay);
    }
    return 'failed';
  };

  // One lane: one message, or one FIFO group's messages in order. After a failure the rest of the group
  // goes back unstarted, behind the failed message, so the group's order holds.
  const runLane = async (lane: Lease[]) => {
    let blocked = false;
    for (const lease of lane) {
      if (stopping || blocked) {
        await giveBack(lease);
        continue;
      }
      blocked = (await handle(lease)) === 'failed';
      settled();
    }
  };
  const start = (lane: Lease[]) => {
    const done: Promise<void> = runLane(lane).catch((error: unknown) => {
      report.error ??= error;
      stop();
    }).finally(() => running.delete(done));
    running.add(done);
  };

  try {
    while (!stopping) {
      const left = options.maxMessages === undefined ? Number.POSITIVE_INFINITY : options.maxMessages - report.taken;
      if (left <= 0) break;
      const room = options.concurrency - held;
      if (room <= 0) {
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      const idle = held === 0;
      poll = new AbortController();
      const pollStartedAt = now();
      const messages = await store.receive(queue, {
        max: Math.min(room, left),
        // For cron: with nothing running, a single look decides whether the queue is empty.
        waitMs: options.untilEmpty && idle ? 0 : MAX_POLL_MS,
        visibilityTimeoutMs: options.visibilityTimeoutMs,
        // An interrupt reaches the poll through stop() and changed(), like any other change.
        signal: poll.signal,
      });
      poll = null;
      report.taken += messages.length;
      held += messages.length;
      const leases = messages.map((message) => new Lease(message, pollStartedAt, leaseOptions));
      for (const lease of leases) lease.hold();
      if (stopping) {
        await Promise.all(leases.map(giveBack));
        break;
      }
      if (messages.length === 0) {
        if (options.untilEmpty && idle) break;
        continue;
      }
      for (const lane of lanesOf(leases, options.fifo)) start(lane);
    }
  } catch (error) {
    report.error = error;
    stopping = true;
  } finally {
    poll = null;
    options.interrupt.removeEventListener('abort', onInterrupt);
  }
  while (running.size > 0) await Promise.all(running);
  report.elapsedMs = now() - startedAt;
  return report;
}
