// Receiving: claim ready messages by renaming them into inflight/ (no lock: the rename that succeeds
// decides who got the message), after returning expired in-flight ones. Retention and dead-lettering are
// applied here, to the messages a receive meets, so there is no daemon.
import fs from 'node:fs';
import path from 'node:path';
import { isMqError } from '../../core/errors.js';
import type { ReceivedMessage } from '../../core/queue-types.js';
import { isNotFound, ioError, moveFile, nonce, unlinkIfExists } from '../fs-util.js';
import { decodeMessage, type MessageContent } from './message-file.js';
import {
  type InFlightName, type ReadyName, formatInFlightName, formatReadyName, inFlightBucket, parseReadyName,
  readyBucketPath, sentAtOf,
} from './message-names.js';
import { type QueueContext, ensureSubdirs } from './queue-context.js';
import { encodeReceipt } from './receipt.js';
import { readBucketWindows, walkReadyBuckets } from './ready-walk.js';
import { reapExpired } from './in-flight.js';
import { ring } from './doorbell.js';

export interface ClaimOptions {
  max: number;
  visibilityTimeoutMs: number;
  deleteOnReceive: boolean;
}

export interface ClaimResult {
  messages: ReceivedMessage[];
  // When something not yet visible falls due (a delayed message, an in-flight deadline), if known.
  nextDueAt: number | null;
}

export interface DeadLetterTarget {
  // Moves a message file to the dead-letter queue; false when the DLQ is missing (the message stays).
  moveIn(file: string, name: ReadyName): boolean;
}

export function claimMessages(ctx: QueueContext, options: ClaimOptions, deadLetter: DeadLetterTarget | null): ClaimResult {
  const now = ctx.env.clock.now();
  const messages: ReceivedMessage[] = [];
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
          continue;
        }
        if (sentAtOf(name.id) + retentionMs <= now) {
          unlinkIfExists(source);
          continue;
        }
        if (policy && deadLetter && name.receiveCount >= policy.maxReceives && deadLetter.moveIn(source, name)) continue;
        const message = options.deleteOnReceive ? pop(ctx, source, name, now) : claim(ctx, source, name, now, options);
        if (message) messages.push(message);
        if (messages.length >= options.max) return false;
      }
      return true;
    });
    if (messages.length >= options.max) return 'stop';
    return sawAny ? 'more' : 'empty';
  });
  if (walk.nextBucketAt !== null) due(walk.nextBucketAt);
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
    deadLetterSource: ready.deadLetterSource,
  };
  const bucket = inFlightBucket(delivery.deadline);
  const target = path.join(ctx.layout.inflight, bucket, formatInFlightName(delivery));
  if (!moveFile(source, target, () => ensureSubdirs(ctx, ctx.layout.inflight, [bucket]))) return null;
  const content = readClaimed(ctx, target);
  if (!content) return null;
  return toReceived(content, delivery, encodeReceipt(ctx.name, delivery));
}

// At-most-once receive: take the message out of the queue into tmp/, read it, delete it.
function pop(ctx: QueueContext, source: string, ready: ReadyName, now: number): ReceivedMessage | null {
  const target = path.join(ctx.layout.tmp, `${ready.id}.${nonce()}.pop`);
  if (!moveFile(source, target, () => ensureSubdirs(ctx, ctx.layout.tmp, []))) return null;
  const content = readClaimed(ctx, target);
  unlinkIfExists(target);
  if (!content) return null;
  const delivery = { ...ready, receiveCount: ready.receiveCount + 1, firstReceivedAt: ready.firstReceivedAt || now };
  return toReceived(content, delivery, undefined);
}

// Reads a file this process just claimed; null when it vanished (a zero visibility timeout let another
// process take it back) or could not be decoded (then it is set aside in damaged/).
function readClaimed(ctx: QueueContext, file: string): MessageContent | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (isNotFound(error)) return null;
    throw ioError(error, 'read', file);
  }
  try {
    return decodeMessage(text);
  } catch (error) {
    if (!isMqError(error, 'CORRUPT')) throw error;
    setAside(ctx, file);
    return null;
  }
}

export function setAside(ctx: QueueContext, file: string): void {
  moveFile(file, path.join(ctx.layout.damaged, path.basename(file)), () => ensureSubdirs(ctx, ctx.layout.damaged, []));
}

export function toReceived(
  content: MessageContent,
  delivery: { id: string; receiveCount: number; firstReceivedAt: number; deadLetterSource?: string },
  receipt: string | undefined,
): ReceivedMessage {
  const message: ReceivedMessage = {
    id: delivery.id,
    body: content.body,
    attributes: content.attributes ?? {},
    sentAt: sentAtOf(delivery.id),
    receiveCount: delivery.receiveCount,
    firstReceivedAt: delivery.firstReceivedAt,
  };
  if (receipt !== undefined) message.receipt = receipt;
  if (content.group !== undefined) message.group = content.group;
  if (content.dedupId !== undefined) message.dedupId = content.dedupId;
  if (content.sequence !== undefined) message.sequence = content.sequence;
  if (delivery.deadLetterSource !== undefined) message.deadLetterSource = delivery.deadLetterSource;
  return message;
}

// Moves a ready message of queue `ctx` into the dead-letter queue `dlq`, keeping its id (and so its send
// time and retention), body and attributes, and recording where it came from. One rename.
export function moveToDeadLetter(ctx: QueueContext, dlq: QueueContext, file: string, name: ReadyName): boolean {
  const now = ctx.env.clock.now();
  const bucket = readyBucketPath(now);
  const target = formatReadyName({ ...name, visibleAt: now, deadLetterSource: ctx.name });
  const moved = moveFile(file, path.join(dlq.layout.ready, ...bucket, target), () => ensureSubdirs(dlq, dlq.layout.ready, bucket));
  if (moved) ring(dlq.layout.notify);
  return moved;
}
