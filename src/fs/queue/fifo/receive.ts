// Receiving from a FIFO queue, lock-free. Groups are visited in random order (so none starves); in a
// group that has nothing in flight, messages are claimed strictly in sequence order by renaming each to
// its in-flight name in the same directory, stopping at the first rename that loses a race. Together
// with "a group with anything in flight is skipped", no later message of a group is ever delivered while
// an earlier one is in flight, whatever other receivers do at the same time.
import path from 'node:path';
import type { ReceivedMessage } from '../../../core/queue-types.js';
import { moveFile, nonce, unlinkIfExists } from '../../fs-util.js';
import { sentAtOf } from '../message-names.js';
import type { QueueContext } from '../queue-context.js';
import { encodeReceipt } from '../receipt.js';
import { popFile, readClaimed, toReceived } from '../claimed.js';
import type { Adoption, ClaimOptions, ClaimResult, DeadLetterTarget } from '../engine.js';
import { type FifoInFlightName, type FifoReadyName, formatFifoInFlightName, formatFifoReceiptPath } from './fifo-names.js';
import { type GroupEntry, listGroups, scanGroup, shuffle } from './group-scan.js';

export async function claimFifo(ctx: QueueContext, options: ClaimOptions, deadLetter: DeadLetterTarget | null): Promise<ClaimResult> {
  const messages: ReceivedMessage[] = [];
  let nextDueAt: number | null = null;
  const due = (at: number) => {
    nextDueAt = Math.min(nextDueAt ?? at, at);
  };
  const { retentionMs, delayMs, deadLetter: policy } = ctx.info.attributes;
  // A poison message at the head of a group moves to the dead-letter queue, then its group is looked at again.
  for (let pass = 0; pass < 3 && messages.length < options.max; pass++) {
    const now = ctx.env.clock.now();
    const deadLetters: Adoption[] = [];
    for (const [groupDir, group] of shuffle(listGroups(ctx))) {
      if (messages.length >= options.max) break;
      const scan = scanGroup(ctx, groupDir, group, now);
      if (!scan) continue;
      if (scan.busyUntil !== null) {
        due(scan.busyUntil);
        continue;
      }
      for (const entry of scan.ready) {
        const sentAt = sentAtOf(entry.name.id);
        if (sentAt + retentionMs <= now) {
          if (!unlinkIfExists(entry.file)) break;
          continue;
        }
        // The queue's delay applies to FIFO messages retroactively, from their send time.
        if (sentAt + delayMs > now) {
          due(sentAt + delayMs);
          break;
        }
        if (policy && deadLetter && entry.name.receiveCount >= policy.maxReceives) {
          deadLetters.push({ ...entry.name, file: entry.file, deadLetterSource: ctx.name, group });
          break;
        }
        const message = options.deleteOnReceive ? pop(ctx, entry, now) : claim(ctx, groupDir, entry, now, options);
        if (!message) break;
        messages.push(message);
        if (messages.length >= options.max) break;
      }
    }
    if (deadLetters.length === 0) break;
    for (const message of deadLetters) await deadLetter!.moveIn(message);
  }
  return { messages, nextDueAt };
}

function delivered(name: FifoReadyName, now: number): FifoReadyName {
  return { ...name, receiveCount: name.receiveCount + 1, firstReceivedAt: name.firstReceivedAt || now };
}

function claim(ctx: QueueContext, groupDir: string, entry: GroupEntry<FifoReadyName>, now: number, options: ClaimOptions): ReceivedMessage | null {
  const name: FifoInFlightName = {
    ...delivered(entry.name, now), deadline: now + options.visibilityTimeoutMs, receivedAt: now, nonce: nonce(),
  };
  const target = path.join(path.dirname(entry.file), formatFifoInFlightName(name));
  if (!moveFile(entry.file, target, () => {})) return null;
  const content = readClaimed(ctx, target);
  return content && toReceived(content, name, encodeReceipt(ctx.name, formatFifoReceiptPath(groupDir, name)));
}

function pop(ctx: QueueContext, entry: GroupEntry<FifoReadyName>, now: number): ReceivedMessage | null {
  const content = popFile(ctx, entry.file);
  return content && toReceived(content, delivered(entry.name, now), undefined);
}
