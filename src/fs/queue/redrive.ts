// Moving dead letters back (StartMessageMoveTask): oldest first, each to its own source queue or to one
// destination, as a new message (new id and send time, receive count 0). Each move is one rename, so a
// redrive killed half-way leaves every message in exactly one of the two queues.
import { MqError, isMqError } from '../../core/errors.js';
import type { RedriveOptions, RedriveResult } from '../../core/queue-types.js';
import { acquireLock } from '../lock.js';
import type { Adoption, QueueEngine } from './engine.js';
import type { QueueContext } from './queue-context.js';

export interface RedriveDeps {
  open(name: string): QueueContext;
  engineOf(ctx: QueueContext): QueueEngine;
  newId(): string;
  sleep(ms: number): Promise<void>;
}

const BATCH = 500;

export async function redrive(dlq: QueueContext, sources: string[], options: RedriveOptions, deps: RedriveDeps): Promise<RedriveResult> {
  if (options.to === undefined && sources.length === 0) {
    throw new MqError('QUEUE_NOT_FOUND', `queue "${dlq.name}" is not a dead-letter queue of any queue (name a destination with --to)`);
  }
  const lock = await acquireLock(dlq.layout.redriveLock, { waitMs: 0, what: `redrive of "${dlq.name}"` });
  const result: RedriveResult = { moved: 0, movedTo: {}, skipped: [] };
  try {
    const destinations = new Map<string, QueueContext | string>();
    const destination = (name: string): QueueContext | string => {
      if (!destinations.has(name)) destinations.set(name, openDestination(dlq, name, deps));
      return destinations.get(name)!;
    };
    const started = Date.now();
    const passed = new Set<string>();
    const max = options.max ?? Number.POSITIVE_INFINITY;
    for (;;) {
      const batch: Adoption[] = [];
      deps.engineOf(dlq).forEachReady(dlq, (message) => {
        if (!passed.has(message.id)) batch.push(message);
        return batch.length < BATCH;
      });
      if (batch.length === 0) return result;
      for (const message of batch) {
        if (result.moved >= max || options.signal?.aborted) return result;
        passed.add(message.id);
        const target = options.to ?? message.deadLetterSource;
        const ctx = target === undefined ? 'it has no source queue recorded (use --to)' : destination(target);
        if (typeof ctx === 'string') {
          result.skipped.push({ id: message.id, reason: ctx });
          continue;
        }
        if (options.ratePerSecond) {
          const earliest = started + (result.moved * 1000) / options.ratePerSecond;
          if (earliest > Date.now()) await deps.sleep(earliest - Date.now());
        }
        const moved = await deps.engineOf(ctx).adopt(ctx, {
          file: message.file, id: deps.newId(), receiveCount: 0, firstReceivedAt: 0,
          ...(message.group !== undefined ? { group: message.group } : {}),
        });
        if (!moved) continue;
        result.moved++;
        result.movedTo[ctx.name] = (result.movedTo[ctx.name] ?? 0) + 1;
        options.onProgress?.(result.moved);
      }
    }
  } finally {
    lock.release();
  }
}

// The destination queue, or why messages cannot go there.
function openDestination(dlq: QueueContext, name: string, deps: RedriveDeps): QueueContext | string {
  try {
    const ctx = deps.open(name);
    if (ctx.info.attributes.fifo !== dlq.info.attributes.fifo) {
      return `queue "${name}" is ${ctx.info.attributes.fifo ? 'FIFO' : 'standard'}, "${dlq.name}" is not`;
    }
    return ctx;
  } catch (error) {
    if (isMqError(error, 'QUEUE_NOT_FOUND', 'INVALID_NAME')) return error.message;
    throw error;
  }
}
