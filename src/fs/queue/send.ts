// Publishing messages: each one is written whole under tmp/, then renamed into its ready bucket, so a
// reader sees a complete message or none. With durability fsync a batch is group-committed: all files
// are written, fsynced together, renamed, and each bucket directory touched is fsynced once.
import fs from 'node:fs';
import path from 'node:path';
import { FILE_MODE, fsyncAll, fsyncDir, ioError, moveFile } from '../fs-util.js';
import { encodeMessage, type MessageContent } from './message-file.js';
import { formatReadyName, readyBucketPath, type ReadyName } from './message-names.js';
import { type QueueContext, ensureSubdirs } from './queue-context.js';
import { ring } from './doorbell.js';

export interface NewMessageFile {
  name: ReadyName;
  content: MessageContent;
}

export async function publishMessages(ctx: QueueContext, messages: NewMessageFile[]): Promise<void> {
  if (messages.length === 0) return;
  const staged = messages.map((message) => ({
    temp: path.join(ctx.layout.tmp, `${message.name.id}.new`),
    bucket: readyBucketPath(message.name.visibleAt),
    file: formatReadyName(message.name),
    data: encodeMessage(message.content),
  }));
  const touchedDirs = new Set<string>();
  try {
    if (ctx.durable) {
      await writeDurably(staged);
    } else {
      for (const item of staged) fs.writeFileSync(item.temp, item.data, { flag: 'wx', mode: FILE_MODE });
    }
    for (const item of staged) {
      const bucketDir = path.join(ctx.layout.ready, ...item.bucket);
      const makeBucket = () => {
        for (const created of ensureSubdirs(ctx, ctx.layout.ready, item.bucket)) touchedDirs.add(path.dirname(created));
      };
      if (!knownDirs.has(bucketDir)) {
        makeBucket();
        knownDirs.add(bucketDir);
      }
      moveFile(item.temp, path.join(bucketDir, item.file), makeBucket);
      touchedDirs.add(bucketDir);
    }
    if (ctx.durable) for (const dir of touchedDirs) fsyncDir(dir);
  } catch (error) {
    for (const item of staged) fs.rmSync(item.temp, { force: true });
    throw ioError(error, 'write a message to', ctx.layout.dir);
  }
  ring(ctx.layout.notify);
}

// Bucket directories this process has made or seen, so a batch does not mkdir once per message.
const knownDirs = new Set<string>();

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
