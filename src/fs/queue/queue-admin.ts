// Creating, listing, removing and purging queues. A queue directory is built complete under a dot name
// and renamed into place, so no process ever sees half a queue; removal renames it into trash/ first, so
// it disappears at once and is deleted after.
import fs from 'node:fs';
import path from 'node:path';
import { MqError } from '../../core/errors.js';
import type { QueueInfo } from '../../core/queue-types.js';
import { validateQueueName } from '../../core/names.js';
import { type QueueLayout, type StoreLayout, queueSubdirs } from '../layout.js';
import { DIR_MODE, FILE_MODE, ensureDir, errnoCode, fsyncDir, fsyncDirs, ioError, listDir, nonce, removeTree } from '../fs-util.js';
import { readQueueInfo, writeQueueInfo } from './queue-config.js';
import { sentAtOf } from './message-names.js';
import { moveToTrash, removeTreeCounting } from '../trash.js';

// Writes a new queue directory; returns false when a queue of that name exists already.
export function createQueueDir(store: StoreLayout, info: QueueInfo, durable: boolean): boolean {
  ensureDir(store.root);
  ensureDir(store.queuesDir);
  const staging = path.join(store.queuesDir, `.new-${info.name}-${nonce()}`);
  try {
    fs.mkdirSync(staging, { mode: DIR_MODE });
    for (const sub of queueSubdirs(info.attributes.fifo)) fs.mkdirSync(path.join(staging, sub), { mode: DIR_MODE });
    fs.writeFileSync(path.join(staging, 'notify'), '', { mode: FILE_MODE });
    // Whatever the durability, the staged queue is on disk before its rename publishes it: a queue is
    // absent or whole after a power cut, never without its queue.json or a directory.
    writeQueueInfo(path.join(staging, 'queue.json'), info, true);
    try {
      fs.renameSync(staging, path.join(store.queuesDir, info.name));
    } catch (error) {
      if (errnoCode(error) === 'EEXIST' || errnoCode(error) === 'ENOTEMPTY') return false;
      throw error;
    }
    // The store's queues/ directory may be new too (the first queue): its name is in the root.
    if (durable) fsyncDirs([store.queuesDir, store.root]);
    return true;
  } catch (error) {
    throw ioError(error, 'create queue in', store.queuesDir);
  } finally {
    removeTree(staging);
  }
}

export function listQueueInfos(store: StoreLayout, prefix = ''): QueueInfo[] {
  const infos: QueueInfo[] = [];
  for (const name of listDir(store.queuesDir).sort()) {
    if (name.startsWith('.') || !name.startsWith(prefix)) continue;
    try {
      validateQueueName(name);
      infos.push(readQueueInfo(name, store.queue(name)));
    } catch (error) {
      // Removed meanwhile, or not a queue of ours: not listed.
      if (!(error instanceof MqError) || error.code === 'CORRUPT') throw error;
    }
  }
  return infos;
}

export function removeQueueDir(store: StoreLayout, name: string): void {
  const doomed = moveToTrash(store, store.queue(name).dir, `queue-${name}`);
  if (!doomed) throw new MqError('QUEUE_NOT_FOUND', `queue "${name}" does not exist`);
  // The move into trash/ reaches the disk before any file in it is deleted: else a power cut could keep
  // the queue's name and lose its files, a husk that can be neither used nor created again.
  fsyncDir(store.trashDir);
  removeTree(doomed);
}

// Empties a queue: every entry of its message roots (buckets, or FIFO groups) is renamed into trash/ (so it leaves the queue at
// once), then its files are counted and deleted. Sends that race with the purge may land on either side.
export function purgeQueueDir(store: StoreLayout, roots: string[], onProgress?: (removed: number) => void): number {
  let purged = 0;
  for (const sub of roots) {
    for (const bucket of listDir(sub)) {
      const doomed = moveToTrash(store, path.join(sub, bucket), 'purge');
      if (doomed) purged += removeTreeCounting(doomed, (n) => onProgress?.(purged + n));
    }
  }
  return purged;
}

// Removes staging files of sends and pops that a killed process left in tmp/ (their ULID tells their age).
export function sweepStaleTemp(layout: QueueLayout, nowMs: number): void {
  for (const entry of listDir(layout.tmp)) {
    const id = entry.split('.')[0] ?? '';
    if (/^[0-9A-HJKMNP-TV-Z]{26}$/.test(id) && nowMs - sentAtOf(id) > 60 * 60_000) fs.rmSync(path.join(layout.tmp, entry), { force: true });
  }
}
