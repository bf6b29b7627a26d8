// Publishing standard messages: each one is written whole under tmp/, then renamed into its ready
// bucket, so a reader sees a complete message or none. With durability fsync a batch is group-committed:
// all files are written, fsynced together, renamed, and each bucket directory touched is fsynced once.
import path from 'node:path';
import { fsyncDirs, moveFile } from '../../fs-util.js';
import { encodeMessage } from '../message-file.js';
import { type ReadyName, formatReadyName, readyBucketPath } from '../message-names.js';
import { type QueueContext, ensureSubdirs } from '../queue-context.js';
import { type Adoption, type OutgoingMessage, PublishFailure } from '../engine.js';
import type { SendResult } from '../../../core/queue-types.js';
import { ring } from '../../doorbell.js';
import { PlacementError, placeStaged, stagedFile, writeStaged } from '../staging.js';

export async function publishStandard(ctx: QueueContext, messages: OutgoingMessage[]): Promise<SendResult[]> {
  const staged = messages.map((message) => ({
    temp: stagedFile(ctx.layout.tmp, message.id),
    name: { visibleAt: message.visibleAt, id: message.id, receiveCount: 0, firstReceivedAt: 0 },
    data: encodeMessage(message.content),
  }));
  try {
    await writeStaged(staged, ctx.durable, ctx.layout.dir);
    placeStaged(staged, ctx.durable, ctx.layout.dir, (item, touched) => placeReady(ctx, item.temp, item.name, touched));
  } catch (error) {
    if (!(error instanceof PlacementError)) throw error;
    if (error.placed > 0) ring(ctx.layout.notify);
    throw new PublishFailure(messages.slice(0, error.placed).map((m) => ({ id: m.id })), error.error);
  }
  if (messages.length > 0) ring(ctx.layout.notify);
  return messages.map((message) => ({ id: message.id }));
}

// Bucket directories this process has made or seen, so a batch does not mkdir once per message.
const knownDirs = new Set<string>();

// Renames `file` into the ready bucket its name belongs to; records the directories changed (for fsync).
export function placeReady(ctx: QueueContext, file: string, name: ReadyName, touched?: Set<string>): boolean {
  const bucket = readyBucketPath(name.visibleAt);
  const bucketDir = path.join(ctx.layout.ready, ...bucket);
  const makeBucket = () => {
    for (const created of ensureSubdirs(ctx, ctx.layout.ready, bucket)) touched?.add(path.dirname(created));
    knownDirs.add(bucketDir);
  };
  if (!knownDirs.has(bucketDir)) makeBucket();
  touched?.add(bucketDir);
  return moveFile(file, path.join(bucketDir, formatReadyName(name)), makeBucket);
}

// A message from another queue (a dead letter, or one being redriven) becomes visible here now.
export async function adoptStandard(ctx: QueueContext, message: Adoption): Promise<boolean> {
  const name: ReadyName = {
    visibleAt: ctx.env.clock.now(), id: message.id, receiveCount: message.receiveCount, firstReceivedAt: message.firstReceivedAt,
  };
  if (message.deadLetterSource !== undefined) name.deadLetterSource = message.deadLetterSource;
  const touched = new Set<string>();
  const moved = placeReady(ctx, message.file, name, touched);
  if (moved && ctx.durable) fsyncDirs(touched);
  if (moved) ring(ctx.layout.notify);
  return moved;
}
