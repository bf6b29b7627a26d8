// FIFO deduplication entries: one small file per key in a directory per 5-minute window, so a lookup is
// two reads (this window and the one before) and expiry removes whole old windows. Entries outlive the
// message (a duplicate is refused for 5 minutes after the original send, deleted or not), and survive purge.
// They are recorded before their messages are published; an entry whose message is still staged in tmp/
// (its sender died before publishing it) does not count, so the message can be sent again.
import fs from 'node:fs';
import path from 'node:path';
import { DEDUP_WINDOW_MS } from '../../../core/fifo.js';
import { FILE_MODE, ensureDir, fsyncAll, fsyncDir, listDir, readFileIfExists, removeTree } from '../../fs-util.js';
import { formatTime } from '../message-names.js';
import type { QueueContext } from '../queue-context.js';
import { stagedFile } from '../staging.js';

export interface DedupEntry {
  id: string;
  sequence: string;
  at: number;
}

function windowOf(ms: number): number {
  return Math.floor(ms / DEDUP_WINDOW_MS) * DEDUP_WINDOW_MS;
}

// The first send of `key` within the window, if any. The caller holds the queue lock.
export function lookupDedup(ctx: QueueContext, key: string, now: number): DedupEntry | null {
  for (const window of [windowOf(now), windowOf(now) - DEDUP_WINDOW_MS]) {
    const text = readFileIfExists(path.join(ctx.layout.dedup, formatTime(window), key));
    if (text === null) continue;
    try {
      const entry = JSON.parse(text) as DedupEntry;
      if (entry.at + DEDUP_WINDOW_MS > now && !fs.existsSync(stagedFile(ctx.layout.tmp, entry.id))) return entry;
    } catch {
      // A torn entry (power cut under durability none) counts as absent: at worst one duplicate.
    }
  }
  return null;
}

// Records entries for messages about to be published; removes windows that can no longer match.
export async function recordDedup(ctx: QueueContext, entries: Map<string, DedupEntry>, now: number): Promise<void> {
  if (entries.size === 0) return;
  const current = windowOf(now);
  const dir = path.join(ctx.layout.dedup, formatTime(current));
  if (ensureDir(dir)) {
    for (const old of listDir(ctx.layout.dedup)) {
      if (Number(old) < current - DEDUP_WINDOW_MS) removeTree(path.join(ctx.layout.dedup, old));
    }
  }
  const fds: number[] = [];
  try {
    for (const [key, entry] of entries) {
      const fd = fs.openSync(path.join(dir, key), 'w', FILE_MODE);
      fds.push(fd);
      fs.writeSync(fd, JSON.stringify(entry));
    }
    if (ctx.durable) await fsyncAll(fds);
  } finally {
    for (const fd of fds) fs.closeSync(fd);
  }
  if (ctx.durable) fsyncDir(dir);
}

// Withdraws the entries `recordDedup(ctx, ..., now)` made for these keys (their messages were not published).
export function removeDedup(ctx: QueueContext, keys: string[], now: number): void {
  const dir = path.join(ctx.layout.dedup, formatTime(windowOf(now)));
  for (const key of keys) fs.rmSync(path.join(dir, key), { force: true });
}
