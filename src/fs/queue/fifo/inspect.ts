// Looking at a FIFO queue without changing it: exact counts over every group, peek in sequence order,
// and the walk redrive uses. Nothing here takes a group's token or moves a file (an expired delivery
// counts as visible until the next receive returns it); blocked messages count as visible, as in SQS.
import type { PeekedMessage } from '../../../core/queue-types.js';
import { sentAtOf } from '../message-names.js';
import type { QueueContext } from '../queue-context.js';
import { type Adoption, type QueueCounts, emptyCounts, tally } from '../engine.js';
import { peekAt } from '../standard/inspect.js';
import type { FifoInFlightName, FifoReadyName } from './fifo-names.js';
import { type GroupEntry, GroupFiles, listGroups } from './group.js';

interface Located<T> extends GroupEntry<T> {
  group: string;
}

// Every message of the queue still within retention, waiting ones in sequence order.
function scanAll(ctx: QueueContext, now: number) {
  const ready: Located<FifoReadyName>[] = [];
  const inFlight: Located<FifoInFlightName>[] = [];
  const { retentionMs } = ctx.info.attributes;
  for (const [groupDir, group] of listGroups(ctx)) {
    const files = new GroupFiles(ctx, groupDir);
    for (const entry of files.inFlight()) inFlight.push({ ...entry, group });
    for (const bucket of files.buckets()) {
      for (const entry of files.bucket(bucket)) {
        if (sentAtOf(entry.name.id) + retentionMs > now) ready.push({ ...entry, group });
      }
    }
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
    if (name.deadline > now) counts.inFlight++;
    else counts.visible++;
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
    const message = peekAt(file, name, name.deadline > now ? 'inFlight' : 'visible', name.deadline);
    if (message) peeked.push(message);
  }
  return peeked;
}

export function forEachFifoReady(ctx: QueueContext, visit: (message: Adoption) => boolean): void {
  for (const { file, name, group } of scanAll(ctx, ctx.env.clock.now()).ready) {
    if (!visit({ ...name, file, group })) return;
  }
}
