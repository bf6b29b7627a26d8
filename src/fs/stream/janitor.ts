// Applies segment retention to a shard: deletes the expired segments (segment-retention.ts decides),
// reading only the last line of each candidate. Safe with concurrent readers and janitors: a reader
// holding a deleted segment open keeps reading it, and a missing file is someone else's deletion.
import { unlinkIfExists } from '../fs-util.js';
import { expiredSegments } from './segment-retention.js';
import type { ShardFiles } from './shard-files.js';

export function dropExpiredSegments(files: ShardFiles, cutoff: number, segments = files.segments()): number {
  let dropped = 0;
  // Candidates are looked at oldest first and only as far as the first one still live.
  for (let i = 0; i < segments.length - 1; i++) {
    const first = segments[i]!;
    const age = { first, lastArrivedAt: files.last(first)?.arrivedAt ?? null };
    if (expiredSegments([age, { first: segments[i + 1]!, lastArrivedAt: null }], cutoff).length === 0) break;
    if (unlinkIfExists(files.path(first))) dropped++;
  }
  return dropped;
}
