// Receiving from a FIFO queue. Groups are visited in random order (so none starves). A receiver takes a
// group's claim token without waiting (skipping a group another receiver is claiming from), returns
// its expired deliveries, skips it if anything is still in flight, and otherwise claims from the head in
// sequence order, filling its batch with consecutive messages of one group before moving on. No later
// message of a group is ever delivered while an earlier one is in flight.
import path from 'node:path';
import type { ReceivedMessage } from '../../../core/queue-types.js';
import { nonce, unlinkIfExists } from '../../fs-util.js';
import { sentAtOf } from '../message-names.js';
import type { QueueContext } from '../queue-context.js';
import { encodeReceipt } from '../receipt.js';
import { popFile, readClaimed, toReceived } from '../claimed.js';
import type { ClaimOptions, ClaimResult, DeadLetterTarget } from '../engine.js';
import { type FifoInFlightName, type FifoReadyName, formatFifoInFlightName, formatFifoReceiptPath } from './fifo-names.js';
import { type GroupEntry, GroupFiles, listGroups, shuffle } from './group.js';

interface Pass {
  ctx: QueueContext;
  options: ClaimOptions;
  deadLetter: DeadLetterTarget | null;
  messages: ReceivedMessage[];
  now: number;
  due(at: number): void;
}

export async function claimFifo(ctx: QueueContext, options: ClaimOptions, deadLetter: DeadLetterTarget | null): Promise<ClaimResult> {
  let nextDueAt: number | null = null;
  const pass: Pass = {
    ctx, options, deadLetter, messages: [], now: ctx.env.clock.now(),
    due: (at) => {
      nextDueAt = Math.min(nextDueAt ?? at, at);
    },
  };
  for (const [groupDir, group] of shuffle(listGroups(ctx))) {
    if (pass.messages.length >= options.max) break;
    const files = new GroupFiles(ctx, groupDir);
    const token = files.tryToken();
    if (!token) continue;
    let empty = false;
    try {
      await claimFromGroup(pass, files, group);
      empty = files.removeIfEmpty();
    } finally {
      token.release();
    }
    if (empty) files.removeDir();
  }
  return { messages: pass.messages, nextDueAt };
}

// Claims what may be claimed of one group; the caller holds its token.
async function claimFromGroup(pass: Pass, files: GroupFiles, group: string): Promise<void> {
  const { ctx, options, now } = pass;
  let busy = false;
  for (const entry of files.inFlight()) {
    if (entry.name.deadline > now) {
      busy = true;
      pass.due(entry.name.deadline);
    } else if (!files.returnToReady(entry)) {
      busy = true;
    }
  }
  if (busy) return;
  const { retentionMs, delayMs, deadLetter: policy } = ctx.info.attributes;
  for (const bucket of files.buckets()) {
    let found = 0;
    for (const entry of files.bucket(bucket)) {
      found++;
      const sentAt = sentAtOf(entry.name.id);
      if (sentAt + retentionMs <= now) {
        unlinkIfExists(entry.file);
        continue;
      }
      // The queue's delay applies to FIFO messages retroactively, from their send time.
      if (sentAt + delayMs > now) {
        pass.due(sentAt + delayMs);
        return;
      }
      if (policy && pass.deadLetter && entry.name.receiveCount >= policy.maxReceives) {
        const moved = await pass.deadLetter.moveIn({ ...entry.name, file: entry.file, deadLetterSource: ctx.name, group });
        if (moved) continue;
      }
      const message = options.deleteOnReceive ? pop(ctx, entry, now, options.deletedFrom) : claim(ctx, files, entry, now, options);
      if (!message) return;
      pass.messages.push(message);
      if (pass.messages.length >= options.max) return;
    }
    if (found === 0 || options.deleteOnReceive) files.removeBucketIfEmpty(bucket);
  }
}

function delivered(name: FifoReadyName, now: number): FifoReadyName {
  return { ...name, receiveCount: name.receiveCount + 1, firstReceivedAt: name.firstReceivedAt || now };
}

function claim(ctx: QueueContext, files: GroupFiles, entry: GroupEntry<FifoReadyName>, now: number, options: ClaimOptions): ReceivedMessage | null {
  const name: FifoInFlightName = {
    ...delivered(entry.name, now), deadline: now + options.visibilityTimeoutMs, receivedAt: now, nonce: nonce(),
  };
  const fileName = formatFifoInFlightName(name);
  if (!files.placeInFlight(entry.file, fileName)) return null;
  const content = readClaimed(ctx, path.join(files.inflight, fileName));
  return content && toReceived(content, name, encodeReceipt(ctx.name, formatFifoReceiptPath(files.groupDir, name)));
}

function pop(ctx: QueueContext, entry: GroupEntry<FifoReadyName>, now: number, deletedFrom?: Set<string>): ReceivedMessage | null {
  const content = popFile(ctx, entry.file, deletedFrom);
  return content && toReceived(content, delivered(entry.name, now), undefined);
}
