// What every queue operation of the file store works with: the queue's paths, its current attributes,
// the clock, and the durability in force (the queue's own unless the backend overrides it).
import fs from 'node:fs';
import type { Clock } from '../../core/clock.js';
import { MqError } from '../../core/errors.js';
import type { IdFactory } from '../../core/ids.js';
import type { Durability } from '../../core/durability.js';
import type { QueueInfo } from '../../core/queue-types.js';
import type { QueueLayout, StoreLayout } from '../layout.js';
import { ensureDir, errnoCode, ioError } from '../fs-util.js';
import { withLock } from '../lock.js';

export interface FsStoreEnv {
  store: StoreLayout;
  clock: Clock;
  ids: IdFactory;
  // Overrides every queue's own durability setting (the CLI's --durability flag and MQ_DURABILITY).
  durability?: Durability;
  // Use a store on a network file system anyway.
  allowNetworkFileSystem?: boolean;
}

export interface QueueContext {
  env: FsStoreEnv;
  name: string;
  layout: QueueLayout;
  info: QueueInfo;
  durable: boolean;
}

export function durableFor(env: FsStoreEnv, info: QueueInfo): boolean {
  return (env.durability ?? info.attributes.durability) === 'fsync';
}

// Creates the directories `parts` below `base` (a queue sub-directory such as ready/), returning those this
// call created; the target-directory step of moveFile, which retries. A missing `base` means the queue
// itself was removed meanwhile; a missing directory between `base` and the last part means another process
// removed an empty one (a FIFO receiver dropping a drained group) after this call made it: moveFile's
// rename then fails again and this is called again.
export function ensureSubdirs(ctx: QueueContext, base: string, parts: string[]): string[] {
  const created: string[] = [];
  let dir = base;
  try {
    for (const part of parts) {
      dir = `${dir}/${part}`;
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
