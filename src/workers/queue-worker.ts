// The queue worker (`mq work`) over any QueueStore: long-poll for messages while there is room for more
// handlers, run each FIFO group's messages one after another (and standard messages each on its own),
// ack what succeeded, give back what failed (after the retry delay) and, once its signal aborts, take
// nothing more, give back what was taken but not started, and let running handlers finish. While a
// message is held its visibility is extended (message-lease.ts), so a slow handler is never delivered twice.
import { MqError } from '../core/errors.js';
import { SECOND } from '../core/queue-attributes.js';
import type { QueueStore } from '../core/queue-store.js';
import type { ReceivedMessage } from '../core/queue-types.js';
import { formatDuration } from '../core/units.js';
import type { QueueWorkerEvent } from './events.js';
import { type FatalHandlerError, type HandlerOutcome, outcomeOf } from './handler.js';
import { lanesOf } from './lanes.js';
import { MessageLease } from './message-lease.js';
import { DEFAULT_MAX_RETRY_DELAY_MS, type RetryPolicy, checkInFlightCap, retryDelayMs } from './retry.js';

// The longest long poll a receive allows (SQS's 20 s).
const MAX_POLL_MS = 20_000;

export interface QueueWorkerOptions {
  store: QueueStore;
  queue: string;
  // Runs once per message; its outcome acks the message or gives it back for a retry.
  handler: (message: ReceivedMessage) => Promise<HandlerOutcome>;
  // Up to this many handlers at once, holding at most this many messages (default 1).
  concurrency?: number;
  // Stop after taking this many messages, whatever their outcome.
  maxMessages?: number;
  // Stop once a receive finds nothing and no handler is running (for cron).
  untilEmpty?: boolean;
  // How long a taken message stays invisible, extended every third of it while held (default: the
  // queue's; at least 1 s, at most 12 h).
  visibilityTimeoutMs?: number;
  // When a failed message becomes visible again (default: after the visibility timeout, no backoff,
  // backoff capped at 15 min).
  retry?: Partial<RetryPolicy>;
  // Aborting stops the worker: nothing more is taken, messages taken but not started are given back,
  // running handlers finish and their messages are settled as usual.
  signal?: AbortSignal;
  onEvent?: (event: QueueWorkerEvent) => void;
  now?: () => number;
}

export interface QueueWorkerReport {
  taken: number;
  // Handled (and acked).
  processed: number;
  // Not handled: left for retry.
  failed: number;
  // Of the failed, those at the queue's max receives: the next receive moves them to the dead-letter queue.
  deadLettered: number;
  // Taken but never started (stopped, or behind a failed message of their FIFO group): given back.
  released: number;
  // Stopped by its signal.
  interrupted: boolean;
  elapsedMs: number;
  // A handler said no message can succeed (the command does not exist): the worker stopped.
  fatal?: FatalHandlerError;
  // The store failed (for example the queue was removed); running handlers were still drained.
  error?: unknown;
}

export async function runQueueWorker(options: QueueWorkerOptions): Promise<QueueWorkerReport> {
  const { store, queue } = options;
  const now = options.now ?? Date.now;
  const emit = options.onEvent ?? (() => {});
  const startedAt = now();
  const info = await store.get(queue);
  const fifo = info.attributes.fifo;
  const maxReceives = info.attributes.deadLetter?.maxReceives ?? null;
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new MqError('INVALID_ARGUMENT', `concurrency must be a whole number of at least 1, got ${concurrency}`);
  const visibilityTimeoutMs = checkInFlightCap(options.visibilityTimeoutMs ?? info.attributes.visibilityTimeoutMs, 'visibility timeout');
  if (visibilityTimeoutMs < SECOND) {
    throw new MqError('INVALID_ARGUMENT', `a queue worker needs a visibility timeout of at least 1s (queue "${queue}" has ${formatDuration(visibilityTimeoutMs)})`);
  }
  const retry: RetryPolicy = {
    delayMs: checkInFlightCap(options.retry?.delayMs ?? visibilityTimeoutMs, 'retry delay'),
    backoff: options.retry?.backoff ?? false,
    maxDelayMs: checkInFlightCap(options.retry?.maxDelayMs ?? DEFAULT_MAX_RETRY_DELAY_MS, 'max retry delay'),
  };
  const signal = options.signal ?? new AbortController().signal;
  const report: QueueWorkerReport = { taken: 0, processed: 0, failed: 0, deadLettered: 0, released: 0, interrupted: false, elapsedMs: 0 };
  const leaseOptions = { store, queue, visibilityTimeoutMs, now, warn: (message: ReceivedMessage, text: string) => emit({ type: 'warning', message, text }) };
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
  if (signal.aborted) onInterrupt();
  else signal.addEventListener('abort', onInterrupt, { once: true });

  const settled = () => {
    held--;
    changed();
  };
  const giveBack = async (lease: MessageLease) => {
    await lease.release(0);
    report.released++;
    emit({ type: 'released', message: lease.message });
    settled();
  };

  const handle = async (lease: MessageLease): Promise<'ok' | 'failed'> => {
    const { message } = lease;
    const outcome = await outcomeOf(() => options.handler(message));
    if (outcome.ok) {
      await lease.ack();
      report.processed++;
      emit({ type: 'processed', message });
      return 'ok';
    }
    if (outcome.fatal) {
      report.fatal ??= { reason: outcome.reason, cause: outcome.cause };
      stop();
      await lease.release(0);
      report.released++;
      emit({ type: 'released', message });
      return 'failed';
    }
    report.failed++;
    // At its last allowed receive: given back at once, the next receive moves it to the dead-letter queue.
    const deadLettered = maxReceives !== null && message.receiveCount >= maxReceives;
    const delay = deadLettered ? 0 : retryDelayMs(retry, message.receiveCount, lease.inFlightMs());
    if (deadLettered) report.deadLettered++;
    emit({ type: 'failed', message, reason: outcome.reason, retryDelayMs: delay, deadLettered });
    await lease.release(delay);
    return 'failed';
  };

  // One lane: one message, or one FIFO group's messages in order. After a failure the rest of the group
  // goes back unstarted, behind the failed message, so the group's order holds.
  const runLane = async (lane: MessageLease[]) => {
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
  const start = (lane: MessageLease[]) => {
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
      const room = concurrency - held;
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
        visibilityTimeoutMs,
        // An interrupt reaches the poll through stop() and changed(), like any other change.
        signal: poll.signal,
      });
      poll = null;
      report.taken += messages.length;
      held += messages.length;
      const leases = messages.map((message) => new MessageLease(message, pollStartedAt, leaseOptions));
      for (const lease of leases) lease.hold();
      if (messages.length > 0) emit({ type: 'taken', messages });
      if (stopping) {
        await Promise.all(leases.map(giveBack));
        break;
      }
      if (messages.length === 0) {
        if (options.untilEmpty && idle) break;
        continue;
      }
      for (const lane of lanesOf(leases, fifo)) start(lane);
    }
  } catch (error) {
    report.error = error;
    stopping = true;
  } finally {
    poll = null;
    signal.removeEventListener('abort', onInterrupt);
  }
  while (running.size > 0) await Promise.all(running);
  report.elapsedMs = now() - startedAt;
  return report;
}
