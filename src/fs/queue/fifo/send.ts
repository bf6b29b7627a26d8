// Publishing FIFO messages. Under the queue lock (held only by senders, never by receivers): drop
// duplicates inside the deduplication window, reserve sequence numbers, stage every message, record the
// dedup entries, then publish every message into its group's directory in sequence order. Holding the
// lock until the messages are in place is what makes publish order equal sequence order across producer
// processes. An entry whose message is still staged does not count (dedup.ts), so a sender killed at any
// point leaves each message either published and deduplicated, or unpublished and free to be sent again.
import { fsyncDirs, ioError } from '../../fs-util.js';
import { GroupFiles } from './group.js';
import { encodeMessage } from '../message-file.js';
import { type QueueContext, withQueueLock } from '../queue-context.js';
import { type Adoption, type OutgoingMessage, PublishFailure } from '../engine.js';
import type { SendResult } from '../../../core/queue-types.js';
import { ring } from '../../doorbell.js';
import { PlacementError, discardStaged, placeStaged, stagedFile, writeStaged } from '../staging.js';
import { type FifoReadyName, formatSequence, groupDirName } from './fifo-names.js';
import { reserveSequences } from './sequence.js';
import { type DedupEntry, lookupDedup, recordDedup, removeDedup } from './dedup.js';

export async function publishFifo(ctx: QueueContext, messages: OutgoingMessage[]): Promise<SendResult[]> {
  if (messages.length === 0) return [];
  const results = await withQueueLock(ctx, async () => {
    const now = ctx.env.clock.now();
    const results: SendResult[] = [];
    const fresh: { index: number; message: OutgoingMessage }[] = [];
    // A key sent twice in one batch: the later ones are duplicates of the first (index into results).
    const firstInBatch = new Map<string, number>();
    const duplicatesInBatch: [number, number][] = [];
    for (const [index, message] of messages.entries()) {
      const key = message.dedupKey;
      const earlier = key === undefined ? undefined : firstInBatch.get(key);
      const prior = key === undefined || earlier !== undefined ? null : lookupDedup(ctx, key, now);
      if (earlier !== undefined) duplicatesInBatch.push([index, earlier]);
      if (prior) results.push({ id: prior.id, sequence: prior.sequence, duplicate: true });
      else results.push({ id: message.id });
      if (earlier !== undefined || prior) continue;
      fresh.push({ index, message });
      if (key !== undefined) firstInBatch.set(key, index);
    }
    if (fresh.length === 0) return results;
    let next = reserveSequences(ctx, fresh.length);
    const dedupEntries = new Map<string, DedupEntry>();
    const staged = fresh.map(({ index, message }) => {
      const sequence = formatSequence(next++);
      results[index] = { id: message.id, sequence };
      if (message.dedupKey) dedupEntries.set(message.dedupKey, { id: message.id, sequence, at: now });
      return {
        temp: stagedFile(ctx.layout.tmp, message.id),
        groupDir: groupDirName(message.content.group!),
        name: { sequence, id: message.id, receiveCount: 0, firstReceivedAt: 0 },
        data: encodeMessage(message.content),
      };
    });
    for (const [index, earlier] of duplicatesInBatch) results[index] = { ...results[earlier]!, duplicate: true };
    // The entries of messages that end up not published are withdrawn before their staged files go.
    const withdraw = (placed: number) => removeDedup(ctx, fresh.slice(placed).flatMap(({ message }) => message.dedupKey ?? []), now);
    try {
      await writeStaged(staged, ctx.durable, ctx.layout.dir);
      try {
        recordDedup(ctx, dedupEntries, now);
      } catch (error) {
        discardStaged(staged, 0, () => withdraw(0));
        throw new PlacementError(0, ioError(error, 'write a message to', ctx.layout.dir));
      }
      placeStaged(staged, ctx.durable, ctx.layout.dir, (item, touched) => new GroupFiles(ctx, item.groupDir).placeReady(item.temp, item.name, touched), withdraw);
    } catch (error) {
      if (!(error instanceof PlacementError)) throw error;
      // Messages before the first unpublished one (published, or duplicates) count as sent; the rest as failed.
      throw new PublishFailure(results.slice(0, fresh[error.placed]?.index ?? results.length), error.error);
    }
    return results;
  });
  ring(ctx.layout.notify);
  return results;
}

// A message from another FIFO queue (a dead letter, or one being redriven) joins the end of its group here.
export async function adoptFifo(ctx: QueueContext, message: Adoption): Promise<boolean> {
  const moved = await withQueueLock(ctx, async () => {
    const sequence = formatSequence(reserveSequences(ctx, 1));
    const name: FifoReadyName = { sequence, id: message.id, receiveCount: message.receiveCount, firstReceivedAt: message.firstReceivedAt };
    if (message.deadLetterSource !== undefined) name.deadLetterSource = message.deadLetterSource;
    const touched = new Set<string>();
    const placed = new GroupFiles(ctx, groupDirName(message.group!)).placeReady(message.file, name, touched);
    if (placed && ctx.durable) fsyncDirs(touched);
    return placed;
  });
  if (moved) ring(ctx.layout.notify);
  return moved;
}
