// Looking at a FIFO queue: exact counts over every group, peek in sequence order, and the walk redrive
// uses. Blocked messages (behind an in-flight one of their group) count as visible, as in SQS.
import type { PeekedMessage } from '../../../core/queue-types.js';
import { unlinkIfExists } from '../../fs-util.js';
import { sentAtOf } from '../message-names.js';
import type { QueueContext } from '../queue-context.js';
import { type Adoption, type QueueCounts, emptyCounts, tally } from '../engine.js';
import { peekAt } from '../standard/inspect.js';
import type { FifoReadyName } from './fifo-names.js';
import { type GroupEntry, listGroups, scanGroup } from './group-scan.js';

interface Located<T> extends GroupEntry<T> {
  group: string;
}

// Every live message of the queue, expired ones dropped and expired deliveries returned on the way.
function scanAll(ctx: QueueContext, now: number) {
  const ready: Located<FifoReadyName>[] = [];
  const inFlight: Located<FifoReadyName & { deadline: number }>[] = [];
  const { retentionMs } = ctx.info.attributes;
  for (const [groupDir, group] of listGroups(ctx)) {
    const scan = scanGroup(ctx, groupDir, group, now);
    if (!scan) continue;
    for (const entry of scan.ready) {
      if (sentAtOf(entry.name.id) + retentionMs <= now) unlinkIfExists(entry.file);
      else ready.push({ ...entry, group });
    }
    for (const entry of scan.inFlight) inFlight.push({ ...entry, group });
  }
  ready.sort((a, b) => (a.name.sequence < b.name.sequence ? -1 : 1));
  inFlight.sort((a, b) => a.name.deadline - b.name.deadline);
  return { ready, inFlight };
}

export function countFifo(ctx: QueueContext): QueueCounts {
  const now = ctx.env.clock.now();
  const counts = emptyCounts();
  const { ready, inFlight } = scanAll(ctx, now);
  for (const { name } of ready) {
    if (sentAtOf(name.id) + ctx.info.attributes.delayMs > now) counts.delayed++;
    else counts.visible++;
    tally(counts, sentAtOf(name.id), name.receiveCount);
  }
  for (const { name } of inFlight) {
    counts.inFlight++;
    tally(counts, sentAtOf(name.id), name.receiveCount);
  }
  return counts;
}

export function peekFifo(ctx: QueueContext, max: number): PeekedMessage[] {
  const now = ctx.env.clock.now();
  const { ready, inFlight } = scanAll(ctx, now);
  const peeked: PeekedMessage[] = [];
  for (const { file, name } of ready) {
    if (peeked.length >= max) break;
    const visibleAt = sentAtOf(name.id) + ctx.info.attributes.delayMs;
    const message = peekAt(file, name, visibleAt > now ? 'delayed' : 'visible', visibleAt);
    if (message) peeked.push(message);
  }
  for (const { file, name } of inFlight) {
    if (peeked.length >= max) break;
    const message = peekAt(file, name, 'inFlight', name.deadline);
    if (message) peeked.push(message);
  }
  return peeked;
}

export function forEachFifoReady(ctx: QueueContext, visit: (message: Adoption) => boolean): void {
  for (const { file, name, group } of scanAll(ctx, ctx.env.clock.now()).ready) {
    if (!visit({ ...name, file, group })) return;
  }
}
