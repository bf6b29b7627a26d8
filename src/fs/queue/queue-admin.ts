// Creating, listing, removing and purging queues. A queue directory is built complete under a dot name
// and renamed into place (staged-dir.ts), so no process ever sees half a queue; removal renames it into
// trash/ first, so it disappears at once and is deleted after.
import fs from 'node:fs';
import { MqError } from '../../core/errors.js';
import type { QueueInfo } from '../../core/queue-types.js';
import { validateQueueName } from '../../core/names.js';
import { QueueLayout, type StoreLayout, childPath, queueSubdirs } from '../layout.js';
import { createEmptyFile, ensureDir, fsyncDir, listDir, removeTree } from '../fs-util.js';
import { createByStaging } from '../staged-dir.js';
import { readQueueInfo, writeQueueInfo } from './queue-config.js';
import { sentAtOf } from './message-names.js';
import { moveToTrash, removeTreeCounting } from '../trash.js';

// Writes a new queue directory; returns false when a queue of that name exists already.
export function createQueueDir(store: StoreLayout, info: QueueInfo, durable: boolean): boolean {
  return createByStaging(store, store.queue(info.name).dir, info.name, (staging) => {
    const layout = new QueueLayout(staging);
    for (const sub of queueSubdirs(info.attributes.fifo)) ensureDir(childPath(staging, sub));
    createEmptyFile(layout.notify);
    writeQueueInfo(layout.config, info, true);
  }, { durable, what: 'queue' });
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

// Empties a queue: every entry of its message roots (buckets, or FIFO groups) is renamed into trash/ (so
// it leaves the queue at once), then its files are counted and deleted. Sends that race with the purge may land on either side.
export function purgeQueueDir(store: StoreLayout, roots: string[], onProgress?: (removed: number) => void): number {
  let purged = 0;
  for (const sub of roots) {
    for (const bucket of listDir(sub)) {
      const doomed = moveToTrash(store, childPath(sub, bucket), 'purge');
      if (doomed) purged += removeTreeCounting(doomed, (n) => onProgress?.(purged + n));
    }
  }
  return purged;
}

// Removes staging files of sends and pops that a killed process left in tmp/ (their ULID tells their age).
export function sweepStaleTemp(layout: QueueLayout, nowMs: number): void {
  for (const entry of listDir(layout.tmp)) {
    const id = entry.split('.')[0] ?? '';
    if (/^[0-9A-HJKMNP-TV-Z]{26}$/.test(id) && nowMs - sentAtOf(id) > 60 * 60_000) fs.rmSync(childPath(layout.tmp, entry), { force: true });
  }
}
