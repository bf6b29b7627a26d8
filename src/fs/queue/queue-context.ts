// What every queue operation of the file store works with: the store's environment (fs-env.ts), the
// queue's paths, its current attributes, and whether its writes are durable (fs-env.ts isDurable).
import fs from 'node:fs';
import { MqError } from '../../core/errors.js';
import type { IdFactory } from '../../core/ids.js';
import type { QueueInfo } from '../../core/queue-types.js';
import { type QueueLayout, dirsBetween } from '../layout.js';
import type { FsEnv } from '../fs-env.js';
import { ensureDir, errnoCode, ioError } from '../fs-util.js';
import { withLock } from '../lock.js';

export interface FsStoreEnv extends FsEnv {
  ids: IdFactory;
}

export interface QueueContext {
  env: FsStoreEnv;
  name: string;
  layout: QueueLayout;
  info: QueueInfo;
  durable: boolean;
}

// Creates the directories from below `base` (a queue sub-directory such as ready/) down to `target`,
// returning those this call created; the target-directory step of moveFile, which retries. A missing
// `base` means the queue itself was removed meanwhile; a missing directory between `base` and `target`
// means another process removed an empty one (a FIFO receiver dropping a drained group) after this call
// made it: moveFile's rename then fails again and this is called again.
export function ensureSubdirs(ctx: QueueContext, base: string, target: string): string[] {
  const created: string[] = [];
  let dir = base;
  try {
    for (dir of dirsBetween(base, target)) {
      if (ensureDir(dir)) created.push(dir);
    }
  } catch (error) {
    if (errnoCode(error) !== 'ENOENT') throw ioError(error, 'create', dir);
    if (!isDirectory(base)) throw new MqError('QUEUE_NOT_FOUND', `queue "${ctx.name}" does not exist`);
  }
  return created;
}

// The queue's lock: attribute changes and FIFO sends (one order, deduplication), never receives.
export function withQueueLock<T>(ctx: QueueContext, fn: () => Promise<T> | T): Promise<T> {
  return withLock(ctx.layout.lock, { what: `queue "${ctx.name}"` }, fn);
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
