// The FIFO queue's single order: a counter file, advanced under the queue lock. The new value is written
// (atomically) before any message carrying it is published, so a crash leaves a gap, never a reuse.
import { MqError } from '../../../core/errors.js';
import { readFileIfExists, writeFileAtomic } from '../../fs-util.js';
import type { QueueContext } from '../queue-context.js';

// Reserves `count` sequence numbers; returns the first. The caller holds the queue lock.
export function reserveSequences(ctx: QueueContext, count: number): bigint {
  const text = readFileIfExists(ctx.layout.sequence);
  if (text !== null && !/^\d+\n?$/.test(text)) throw new MqError('CORRUPT', `queue "${ctx.name}" has an unreadable sequence file`);
  const last = text === null ? 0n : BigInt(text.trim());
  writeFileAtomic(ctx.layout.sequence, `${last + BigInt(count)}\n`, { durable: ctx.durable });
  return last + 1n;
}
