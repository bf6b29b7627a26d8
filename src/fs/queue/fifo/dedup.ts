// FIFO deduplication entries: one per key in a directory per 5-minute window, so a lookup is two reads
// (this window and the one before) and expiry removes whole old windows. An entry is a symbolic link whose
// target is `<id>.<sequence>.<at>` (never followed, only read): symlink(2) writes it whole in one call,
// so it is never seen torn, and short as it is (under 60 bytes for sequences of up to 18 digits) it lives
// in its inode on ext4, made durable by the directory's fsync alone. Entries outlive the
// message (a duplicate is refused for 5 minutes after the original send, deleted or not), and survive purge.
// They are recorded before their messages are published; an entry whose message is still staged in tmp/
// (its sender died before publishing it) does not count, so the message can be sent again.
import fs from 'node:fs';
import path from 'node:path';
import { DEDUP_WINDOW_MS } from '../../../core/fifo.js';
import { ensureDir, errnoCode, fsyncDir, ioError, listDir, readLinkOrFile, removeTree } from '../../fs-util.js';
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

export function formatDedupEntry(entry: DedupEntry): string {
  return `${entry.id}.${BigInt(entry.sequence)}.${entry.at}`;
}

export function parseDedupEntry(text: string): DedupEntry | null {
  const m = /^([0-9A-HJKMNP-TV-Z]{26})\.(\d{1,20})\.(\d{1,15})$/.exec(text);
  return m ? { id: m[1]!, sequence: m[2]!.padStart(20, '0'), at: Number(m[3]) } : null;
}

// A link, or a regular file of JSON written by an earlier version; a torn one counts as absent.
function readEntry(file: string): DedupEntry | null {
  const text = readLinkOrFile(file);
  if (text === null) return null;
  return text.startsWith('{') ? parseLegacyEntry(text) : parseDedupEntry(text);
}

function parseLegacyEntry(text: string): DedupEntry | null {
  try {
    const entry = JSON.parse(text) as Partial<DedupEntry>;
    return typeof entry.id === 'string' && typeof entry.sequence === 'string' && typeof entry.at === 'number'
      ? { id: entry.id, sequence: entry.sequence, at: entry.at }
      : null;
  } catch {
    return null;
  }
}

// The first send of `key` within the window, if any. The caller holds the queue lock.
export function lookupDedup(ctx: QueueContext, key: string, now: number): DedupEntry | null {
  for (const window of [windowOf(now), windowOf(now) - DEDUP_WINDOW_MS]) {
    const entry = readEntry(path.join(ctx.layout.dedup, formatTime(window), key));
    if (entry && entry.at + DEDUP_WINDOW_MS > now && !fs.existsSync(stagedFile(ctx.layout.tmp, entry.id))) return entry;
  }
  return null;
}

// Records entries for messages about to be published; removes windows that can no longer match.
export function recordDedup(ctx: QueueContext, entries: Map<string, DedupEntry>, now: number): void {
  if (entries.size === 0) return;
  const current = windowOf(now);
  const dir = path.join(ctx.layout.dedup, formatTime(current));
  if (ensureDir(dir)) {
    // A new window's name must reach the disk too, or its entries go with it.
    if (ctx.durable) fsyncDir(ctx.layout.dedup);
    for (const old of listDir(ctx.layout.dedup)) {
      if (Number(old) < current - DEDUP_WINDOW_MS) removeTree(path.join(ctx.layout.dedup, old));
    }
  }
  for (const [key, entry] of entries) {
    const file = path.join(dir, key);
    try {
      fs.symlinkSync(formatDedupEntry(entry), file);
    } catch (error) {
      // An entry that no longer counts (expired, or its message never left tmp/) is replaced.
      if (errnoCode(error) !== 'EEXIST') throw ioError(error, 'create', file);
      fs.rmSync(file, { force: true });
      fs.symlinkSync(formatDedupEntry(entry), file);
    }
  }
  if (ctx.durable) fsyncDir(dir);
}

// Withdraws the entries `recordDedup(ctx, ..., now)` made for these keys (their messages were not published).
export function removeDedup(ctx: QueueContext, keys: string[], now: number): void {
  const dir = path.join(ctx.layout.dedup, formatTime(windowOf(now)));
  for (const key of keys) fs.rmSync(path.join(dir, key), { force: true });
}
