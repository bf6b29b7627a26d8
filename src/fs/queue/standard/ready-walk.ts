// Walks the ready buckets of a queue oldest first, listing only the small bucket directories and then
// the messages of one bottom bucket at a time, a window at a time, so a receive costs the same with a
// thousand or a million messages waiting. Empty buckets well in the past are removed on the way.
import fs from 'node:fs';
import { bucketEnd, parseBucketName, READY_BUCKET_SHIFTS } from '../message-names.js';
import { ioError, isNotFound, listDir, removeDirIfEmpty } from '../../fs-util.js';
import { childPath } from '../../layout.js';

// How many names are read from a bottom bucket before they are sorted and tried. A bucket smaller than
// this is read whole, so its messages come out exactly in order.
export const WINDOW = 256;
// An empty bucket is removed only when its time is this far past, so a sender that just made it for
// "now" does not lose the race against a janitor (it would mkdir again, but why churn).
const EMPTY_BUCKET_GRACE_MS = 60_000;

export interface WalkOptions {
  // Buckets starting after this time are not visited (delayed messages).
  horizon: number;
  now: number;
}

export interface WalkResult {
  stopped: boolean;
  // The earliest start among buckets skipped for being after the horizon: when to look again.
  nextBucketAt: number | null;
}

// Calls `visit` with each bottom bucket directory whose start is at or before the horizon, oldest first,
// until it returns 'stop'. `visit` returns 'empty' when the bucket held nothing, so it can be removed.
export function walkReadyBuckets(
  readyDir: string,
  options: WalkOptions,
  visit: (bucketDir: string) => 'stop' | 'more' | 'empty',
): WalkResult {
  const result: WalkResult = { stopped: false, nextBucketAt: null };
  walkLevel(readyDir, 0, options, visit, result);
  return result;
}

// Returns whether the level ended up empty (every child removed).
function walkLevel(
  dir: string,
  depth: number,
  options: WalkOptions,
  visit: (bucketDir: string) => 'stop' | 'more' | 'empty',
  result: WalkResult,
): boolean {
  const shift = READY_BUCKET_SHIFTS[depth]!;
  const buckets = sortedBuckets(dir);
  let removedAll = true;
  for (const { name, start } of buckets) {
    if (start > options.horizon) {
      result.nextBucketAt = Math.min(result.nextBucketAt ?? start, start);
      return false;
    }
    const child = childPath(dir, name);
    const empty = depth === READY_BUCKET_SHIFTS.length - 1
      ? visitBottom(child, visit, result)
      : walkLevel(child, depth + 1, options, visit, result);
    const removed = empty && bucketEnd(start, shift) < options.now - EMPTY_BUCKET_GRACE_MS && removeDirIfEmpty(child);
    removedAll &&= removed;
    if (result.stopped) return false;
  }
  return removedAll;
}

function visitBottom(dir: string, visit: (bucketDir: string) => 'stop' | 'more' | 'empty', result: WalkResult): boolean {
  const outcome = visit(dir);
  if (outcome === 'stop') result.stopped = true;
  return outcome === 'empty';
}

export function sortedBuckets(dir: string): { name: string; start: number }[] {
  const buckets: { name: string; start: number }[] = [];
  for (const name of listDir(dir)) {
    const start = parseBucketName(name);
    if (start !== null) buckets.push({ name, start });
  }
  return buckets.sort((a, b) => a.start - b.start);
}

// Reads a bottom bucket a window at a time, each window sorted by name (visible time, then id), until
// `visit` returns false. Returns false when the bucket held no entries at all.
export function readBucketWindows(dir: string, visit: (names: string[]) => boolean): boolean {
  let handle: fs.Dir;
  try {
    handle = fs.opendirSync(dir, { bufferSize: 128 });
  } catch (error) {
    if (isNotFound(error)) return false;
    throw ioError(error, 'list', dir);
  }
  let sawAny = false;
  try {
    let window: string[] = [];
    for (let entry = handle.readSync(); entry !== null; entry = handle.readSync()) {
      window.push(entry.name);
      if (window.length === WINDOW) {
        sawAny = true;
        if (!visit(window.sort())) return true;
        window = [];
      }
    }
    if (window.length > 0) {
      sawAny = true;
      visit(window.sort());
    }
    return sawAny;
  } finally {
    handle.closeSync();
  }
}
