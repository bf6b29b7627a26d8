// Looking at a queue without changing what consumers see: exact counts for stats (a full scan, the one
// operation whose cost grows with the backlog) and peek (the next messages, in the order receive takes them).
import fs from 'node:fs';
import path from 'node:path';
import type { MessageState, PeekedMessage } from '../../core/queue-types.js';
import { isNotFound, listDir } from '../fs-util.js';
import { decodeMessage } from './message-file.js';
import { parseReadyName, sentAtOf } from './message-names.js';
import type { QueueContext } from './queue-context.js';
import { readBucketWindows, walkReadyBuckets } from './ready-walk.js';
import { forEachInFlight, reapExpired } from './in-flight.js';
import { toReceived } from './receive.js';

export interface QueueCounts {
  visible: number;
  inFlight: number;
  delayed: number;
  oldestSentAt: number | null;
  receiveCounts: Record<number, number>;
  damaged: number;
}

// Counts every message by state, after returning expired in-flight ones and dropping expired ones.
export function countMessages(ctx: QueueContext): QueueCounts {
  const now = ctx.env.clock.now();
  reapExpired(ctx, now);
  const counts: QueueCounts = { visible: 0, inFlight: 0, delayed: 0, oldestSentAt: null, receiveCounts: {}, damaged: 0 };
  const { retentionMs } = ctx.info.attributes;
  const tally = (id: string, receiveCount: number) => {
    const sentAt = sentAtOf(id);
    counts.oldestSentAt = Math.min(counts.oldestSentAt ?? sentAt, sentAt);
    counts.receiveCounts[receiveCount] = (counts.receiveCounts[receiveCount] ?? 0) + 1;
  };
  walkReadyBuckets(ctx.layout.ready, { horizon: Number.POSITIVE_INFINITY, now }, (bucketDir) =>
    readBucketWindows(bucketDir, (files) => {
      for (const file of files) {
        const name = parseReadyName(file);
        if (!name) continue;
        if (sentAtOf(name.id) + retentionMs <= now) {
          fs.rmSync(path.join(bucketDir, file), { force: true });
          continue;
        }
        if (name.visibleAt > now) counts.delayed++;
        else counts.visible++;
        tally(name.id, name.receiveCount);
      }
      return true;
    }) ? 'more' : 'empty');
  forEachInFlight(ctx, Number.POSITIVE_INFINITY, ({ name }) => {
    counts.inFlight++;
    tally(name.id, name.receiveCount);
  });
  counts.damaged = listDir(ctx.layout.damaged).length;
  return counts;
}

// The next `max` messages in the order a receive would take them (visible, then delayed), then the
// in-flight ones by deadline. Nothing is claimed, counted or moved.
export function peekMessages(ctx: QueueContext, max: number): PeekedMessage[] {
  const now = ctx.env.clock.now();
  const peeked: PeekedMessage[] = [];
  const { retentionMs } = ctx.info.attributes;
  const add = (file: string, id: string, state: MessageState, visibleAt: number, delivery: { receiveCount: number; firstReceivedAt: number; deadLetterSource?: string }) => {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
    const received = toReceived(decodeMessage(text), { id, ...delivery }, undefined);
    const message: PeekedMessage = { ...received, firstReceivedAt: delivery.firstReceivedAt || null, state, visibleAt };
    peeked.push(message);
  };
  walkReadyBuckets(ctx.layout.ready, { horizon: Number.POSITIVE_INFINITY, now }, (bucketDir) => {
    readBucketWindows(bucketDir, (files) => {
      for (const file of files) {
        const name = parseReadyName(file);
        if (!name || sentAtOf(name.id) + retentionMs <= now) continue;
        add(path.join(bucketDir, file), name.id, name.visibleAt > now ? 'delayed' : 'visible', name.visibleAt, name);
        if (peeked.length >= max) return false;
      }
      return true;
    });
    return peeked.length >= max ? 'stop' : 'more';
  });
  if (peeked.length < max) {
    const inFlight: { file: string; deadline: number; name: Parameters<typeof add>[4] & { id: string } }[] = [];
    forEachInFlight(ctx, Number.POSITIVE_INFINITY, ({ file, name }) => inFlight.push({ file, deadline: name.deadline, name }));
    inFlight.sort((a, b) => a.deadline - b.deadline);
    for (const { file, deadline, name } of inFlight.slice(0, max - peeked.length)) {
      add(file, name.id, deadline > now ? 'inFlight' : 'visible', deadline, name);
    }
  }
  return peeked;
}
