// Looking at a standard queue without changing what consumers see: exact counts (a full scan, the one
// operation whose cost grows with the backlog) and peek (the next messages in the order receive takes
// them); and the walk redrive uses.
import fs from 'node:fs';
import type { MessageState, PeekedMessage } from '../../../core/queue-types.js';
import { errnoCode, isNotFound, readFileNoFollow } from '../../fs-util.js';
import { isMqError } from '../../../core/errors.js';
import { decodeMessage } from '../message-file.js';
import { parseReadyName, sentAtOf } from '../message-names.js';
import type { QueueContext } from '../queue-context.js';
import { type Adoption, type QueueCounts, emptyCounts, tally } from '../engine.js';
import { toReceived, type Delivery } from '../claimed.js';
import { readBucketWindows, walkReadyBuckets } from './ready-walk.js';
import { forEachInFlight, reapExpired } from './in-flight.js';
import { childPath } from '../../layout.js';

export function countStandard(ctx: QueueContext): QueueCounts {
  const now = ctx.env.clock.now();
  reapExpired(ctx, now);
  const counts = emptyCounts();
  const { retentionMs } = ctx.info.attributes;
  walkReadyBuckets(ctx.layout.ready, { horizon: Number.POSITIVE_INFINITY, now }, (bucketDir) =>
    readBucketWindows(bucketDir, (files) => {
      for (const file of files) {
        const name = parseReadyName(file);
        if (!name) continue;
        if (sentAtOf(name.id) + retentionMs <= now) {
          fs.rmSync(childPath(bucketDir, file), { force: true });
          continue;
        }
        if (name.visibleAt > now) counts.delayed++;
        else counts.visible++;
        tally(counts, sentAtOf(name.id), name.receiveCount);
      }
      return true;
    }) ? 'more' : 'empty');
  forEachInFlight(ctx, Number.POSITIVE_INFINITY, ({ name }) => {
    counts.inFlight++;
    tally(counts, sentAtOf(name.id), name.receiveCount);
  });
  return counts;
}

// Reads a message for peek; null when it was taken meanwhile.
export function peekAt(file: string, delivery: Delivery, state: MessageState, visibleAt: number): PeekedMessage | null {
  let content;
  try {
    content = decodeMessage(readFileNoFollow(file));
  } catch (error) {
    // Taken meanwhile, a link, or undecodable: peek shows what it can and leaves the rest to receive.
    if (isNotFound(error) || errnoCode(error) === 'ELOOP' || isMqError(error, 'CORRUPT')) return null;
    throw error;
  }
  const received = toReceived(content, delivery, undefined);
  return { ...received, firstReceivedAt: delivery.firstReceivedAt || null, state, visibleAt };
}

// The next `max` messages in the order a receive would take them (visible, then delayed), then the
// in-flight ones by deadline. Nothing is claimed, counted or moved.
export function peekStandard(ctx: QueueContext, max: number): PeekedMessage[] {
  const now = ctx.env.clock.now();
  const peeked: PeekedMessage[] = [];
  const add = (message: PeekedMessage | null) => message && peeked.push(message);
  const { retentionMs } = ctx.info.attributes;
  walkReadyBuckets(ctx.layout.ready, { horizon: Number.POSITIVE_INFINITY, now }, (bucketDir) => {
    readBucketWindows(bucketDir, (files) => {
      for (const file of files) {
        const name = parseReadyName(file);
        if (!name || sentAtOf(name.id) + retentionMs <= now) continue;
        add(peekAt(childPath(bucketDir, file), name, name.visibleAt > now ? 'delayed' : 'visible', name.visibleAt));
        if (peeked.length >= max) return false;
      }
      return true;
    });
    return peeked.length >= max ? 'stop' : 'more';
  });
  if (peeked.length < max) {
    const inFlight: { file: string; name: Parameters<typeof peekAt>[1] & { deadline: number } }[] = [];
    forEachInFlight(ctx, Number.POSITIVE_INFINITY, (entry) => inFlight.push(entry));
    inFlight.sort((a, b) => a.name.deadline - b.name.deadline);
    for (const { file, name } of inFlight.slice(0, max - peeked.length)) {
      add(peekAt(file, name, name.deadline > now ? 'inFlight' : 'visible', name.deadline));
    }
  }
  return peeked;
}

// Visible and delayed messages oldest first, for redrive.
export function forEachStandardReady(ctx: QueueContext, visit: (message: Adoption) => boolean): void {
  const now = ctx.env.clock.now();
  walkReadyBuckets(ctx.layout.ready, { horizon: Number.POSITIVE_INFINITY, now }, (bucketDir) => {
    let more = true;
    readBucketWindows(bucketDir, (files) => {
      for (const file of files) {
        const name = parseReadyName(file);
        if (name && !(more = visit({ ...name, file: childPath(bucketDir, file) }))) return false;
      }
      return true;
    });
    return more ? 'more' : 'stop';
  });
}
