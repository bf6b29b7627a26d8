// Receiving standard messages: claim ready messages by renaming them into inflight/ (no lock: the rename
// that succeeds decides who got the message), after returning expired in-flight ones. Retention and
// dead-lettering are applied here, to the messages a receive meets, so there is no daemon.
import path from 'node:path';
import type { ReceivedMessage } from '../../../core/queue-types.js';
import { moveFile, nonce, unlinkIfExists } from '../../fs-util.js';
import {
  type InFlightName, type ReadyName, formatInFlightName, inFlightBucket, parseReadyName, sentAtOf,
} from '../message-names.js';
import { type QueueContext, ensureSubdirs } from '../queue-context.js';
import { encodeReceipt } from '../receipt.js';
import { popFile, readClaimed, toReceived } from '../claimed.js';
import type { Adoption, ClaimOptions, ClaimResult, DeadLetterTarget } from '../engine.js';
import { readBucketWindows, walkReadyBuckets } from './ready-walk.js';
import { reapExpired } from './in-flight.js';

export async function claimStandard(ctx: QueueContext, options: ClaimOptions, deadLetter: DeadLetterTarget | null): Promise<ClaimResult> {
  const now = ctx.env.clock.now();
  const messages: ReceivedMessage[] = [];
  const deadLetters: Adoption[] = [];
  let nextDueAt = reapExpired(ctx, now);
  const due = (at: number) => {
    nextDueAt = Math.min(nextDueAt ?? at, at);
  };
  const { retentionMs, deadLetter: policy } = ctx.info.attributes;

  const walk = walkReadyBuckets(ctx.layout.ready, { horizon: now, now }, (bucketDir) => {
    const sawAny = readBucketWindows(bucketDir, (files) => {
      for (const file of files) {
        const name = parseReadyName(file);
        if (!name) continue;
        const source = path.join(bucketDir, file);
        if (name.visibleAt > now) {
          due(name.visibleAt);
        } else if (sentAtOf(name.id) + retentionMs <= now) {
          unlinkIfExists(source);
        } else if (policy && deadLetter && name.receiveCount >= policy.maxReceives) {
          deadLetters.push({ ...name, file: source, deadLetterSource: ctx.name });
        } else {
          const message = options.deleteOnReceive ? pop(ctx, source, name, now, options.deletedFrom) : claim(ctx, source, name, now, options);
          if (message) messages.push(message);
          if (messages.length >= options.max) return false;
        }
      }
      return true;
    });
    if (messages.length >= options.max) return 'stop';
    return sawAny ? 'more' : 'empty';
  });
  if (walk.nextBucketAt !== null) due(walk.nextBucketAt);
  // Messages received too often move to the dead-letter queue (after the walk: a move may wait for a lock).
  for (const message of deadLetters) await deadLetter!.moveIn(message);
  return { messages, nextDueAt };
}

function claim(ctx: QueueContext, source: string, ready: ReadyName, now: number, options: ClaimOptions): ReceivedMessage | null {
  const delivery: InFlightName = {
    deadline: now + options.visibilityTimeoutMs,
    id: ready.id,
    receiveCount: ready.receiveCount + 1,
    firstReceivedAt: ready.firstReceivedAt || now,
    receivedAt: now,
    nonce: nonce(),
  };
  if (ready.deadLetterSource !== undefined) delivery.deadLetterSource = ready.deadLetterSource;
  const bucket = inFlightBucket(delivery.deadline);
  const fileName = formatInFlightName(delivery);
  const target = path.join(ctx.layout.inflight, bucket, fileName);
  if (!moveFile(source, target, () => ensureSubdirs(ctx, ctx.layout.inflight, [bucket]))) return null;
  const content = readClaimed(ctx, target);
  return content && toReceived(content, delivery, encodeReceipt(ctx.name, fileName));
}

function pop(ctx: QueueContext, source: string, ready: ReadyName, now: number, deletedFrom?: Set<string>): ReceivedMessage | null {
  const content = popFile(ctx, source, deletedFrom);
  const delivery = { ...ready, receiveCount: ready.receiveCount + 1, firstReceivedAt: ready.firstReceivedAt || now };
  return content && toReceived(content, delivery, undefined);
}
