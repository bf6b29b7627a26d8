// Publishing standard messages: each one is written whole under tmp/, then renamed into its ready
// bucket, so a reader sees a complete message or none. With durability fsync a batch is group-committed:
// all files are written, fsynced together, renamed, and each bucket directory touched is fsynced once.
import fs from 'node:fs';
import path from 'node:path';
import { FILE_MODE, fsyncAll, fsyncDir, ioError, moveFile } from '../../fs-util.js';
import { encodeMessage } from '../message-file.js';
import { type ReadyName, formatReadyName, readyBucketPath } from '../message-names.js';
import { type QueueContext, ensureSubdirs } from '../queue-context.js';
import { type Adoption, type OutgoingMessage, PublishFailure, type PublishResult } from '../engine.js';
import { ring } from '../doorbell.js';

// At most this many files are open at once while a durable batch is written.
const DURABLE_CHUNK = 256;

export async function publishStandard(ctx: QueueContext, messages: OutgoingMessage[]): Promise<PublishResult[]> {
  const chunk = ctx.durable ? DURABLE_CHUNK : messages.length;
  let published = 0;
  try {
    for (let start = 0; start < messages.length; start += chunk) {
      published += await publishChunk(ctx, messages.slice(start, start + chunk));
    }
  } catch (error) {
    if (published > 0) ring(ctx.layout.notify);
    if (error instanceof PublishFailure) {
      throw new PublishFailure(messages.slice(0, published + error.results.length).map((m) => ({ id: m.id })), error.error);
    }
    throw error;
  }
  if (messages.length > 0) ring(ctx.layout.notify);
  return messages.map((message) => ({ id: message.id }));
}

// Writes, then publishes, one chunk; returns how many were published (all, or throws PublishFailure
// describing the ones that were).
async function publishChunk(ctx: QueueContext, messages: OutgoingMessage[]): Promise<number> {
  const staged = messages.map((message) => ({
    temp: path.join(ctx.layout.tmp, `${message.id}.new`),
    name: { visibleAt: message.visibleAt, id: message.id, receiveCount: 0, firstReceivedAt: 0 },
    data: encodeMessage(message.content),
  }));
  try {
    if (ctx.durable) {
      await writeDurably(staged);
    } else {
      for (const item of staged) fs.writeFileSync(item.temp, item.data, { flag: 'wx', mode: FILE_MODE });
    }
  } catch (error) {
    for (const item of staged) fs.rmSync(item.temp, { force: true });
    throw new PublishFailure([], ioError(error, 'write a message to', ctx.layout.dir));
  }
  const touched = new Set<string>();
  let placed = 0;
  try {
    for (const item of staged) {
      placeReady(ctx, item.temp, item.name, touched);
      placed++;
    }
    if (ctx.durable) for (const dir of touched) fsyncDir(dir);
  } catch (error) {
    for (const item of staged.slice(placed)) fs.rmSync(item.temp, { force: true });
    throw new PublishFailure(messages.slice(0, placed).map((m) => ({ id: m.id })), ioError(error, 'write a message to', ctx.layout.dir));
  }
  return placed;
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

async function writeDurably(staged: { temp: string; data: string }[]): Promise<void> {
  const fds: number[] = [];
  try {
    for (const item of staged) {
      const fd = fs.openSync(item.temp, 'wx', FILE_MODE);
      fds.push(fd);
      fs.writeSync(fd, item.data);
    }
    await fsyncAll(fds);
  } finally {
    for (const fd of fds) fs.closeSync(fd);
  }
}

// A message from another queue (a dead letter, or one being redriven) becomes visible here now.
export async function adoptStandard(ctx: QueueContext, message: Adoption): Promise<boolean> {
  const name: ReadyName = {
    visibleAt: ctx.env.clock.now(), id: message.id, receiveCount: message.receiveCount, firstReceivedAt: message.firstReceivedAt,
  };
  if (message.deadLetterSource !== undefined) name.deadLetterSource = message.deadLetterSource;
  const touched = new Set<string>();
  const moved = placeReady(ctx, message.file, name, touched);
  if (moved && ctx.durable) for (const dir of touched) fsyncDir(dir);
  if (moved) ring(ctx.layout.notify);
  return moved;
}
