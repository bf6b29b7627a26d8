// Splits, merges and shard-count changes on files, safe against puts running in other processes:
//  1. Under the stream lock (one map change at a time) re-read stream.json and plan the change (pure,
//     core/resharding.ts): bad requests fail here, before anything is touched.
//  2. Create the new shards' directories, empty, before any map names them (fsynced, so also on disk).
//  3. Take the append lock of every shard the change closes, in index order. No record can be appended
//     to them from here on.
//  4. In each, cut off a torn tail left by a killed writer and read the last record: its counter is the
//     shard's ending sequence number. Write the shard's `closed` marker.
//  5. Publish the new map (stream.json replaced atomically), release the append locks, ring the doorbell.
// A put routes its records with the map it read when it started. Under a shard's append lock it looks
// for the closed marker (in the directory listing it reads anyway, so an open shard costs nothing
// more); finding it, it re-reads the map and routes those records again, to the children. Marker and map
// are both written before the append lock is released, so every append after the close sees them: no
// record lands after the ending sequence number, and no acknowledged record is lost.
import { MqError } from '../../core/errors.js';
import { type ShardEnd, type ShardMapChange, sealClosing } from '../../core/resharding.js';
import { describeShard } from '../../core/shard-map.js';
import type { ReshardResult } from '../../core/stream-types.js';
import { type LockHandle, acquireLock } from '../lock.js';
import { ensureDir, fsyncDir, ioError, writeFileAtomic } from '../fs-util.js';
import { ring } from '../doorbell.js';
import { type StreamContext, withStreamLock } from './stream-context.js';
import { type StreamConfig, readStreamConfig, streamInfo, writeStreamConfig } from './stream-config.js';
import { repairTail } from './append.js';
import { ShardFiles } from './shard-files.js';

export type ReshardPlanner = (config: StreamConfig, nowMs: number) => ShardMapChange;

export async function reshard(ctx: StreamContext, plan: ReshardPlanner): Promise<ReshardResult> {
  const { layout, name, env } = ctx;
  return withStreamLock(ctx, async () => {
    const current = readStreamConfig(name, layout);
    const now = env.clock.now();
    const change = plan(current, now);
    if (change.closing.length === 0 && change.created.length === 0) return { stream: streamInfo(current, now), closed: [], created: [] };
    const files = (index: number) => ShardFiles.in(layout, index);
    try {
      for (const index of change.created) ensureDir(files(index).layout.dir);
      // Whatever the durability, the children's directories reach the disk before a map naming them:
      // a map with an open shard that has no directory would refuse every put routed to it.
      fsyncDir(layout.shardsDir);
    } catch (error) {
      throw ioError(error, 'create shards in', layout.shardsDir);
    }
    const locks: LockHandle[] = [];
    let next: StreamConfig;
    try {
      const ends = new Map<number, ShardEnd>();
      for (const index of [...change.closing].sort((a, b) => a - b)) {
        const shard = files(index);
        locks.push(await acquireLock(shard.layout.lock, { what: `${shard.shardId} of stream "${name}"` }));
        const end = readEnd(shard);
        ends.set(index, end);
        writeFileAtomic(shard.layout.closed, `${JSON.stringify({ endingCounter: end.endingCounter })}\n`, { durable: ctx.durable });
      }
      next = { ...current, shards: sealClosing(change, ends, now), updatedAt: now };
      writeStreamConfig(layout.config, next, ctx.durable);
    } finally {
      for (const lock of locks) lock.release();
    }
    ring(layout.notify);
    const byIndex = (index: number) => describeShard(next.shards.find((s) => s.index === index)!);
    return { stream: streamInfo(next, now), closed: change.closing.map(byIndex), created: change.created.map(byIndex) };
  });
}

// The last record of a shard whose append lock is held: its counter (0 for a shard never written) and
// arrival time. A torn tail is cut off first, as the next appender would.
function readEnd(files: ShardFiles): ShardEnd {
  const segments = files.segments();
  if (segments.length === 0) return { endingCounter: 0, lastArrivedAt: 0 };
  const first = segments.at(-1)!;
  const file = files.open(first, 'r+');
  if (!file) throw new MqError('STREAM_NOT_FOUND', `${files.shardId} has no segment to close any more`);
  try {
    const last = repairTail(file);
    if (last) return { endingCounter: last.counter, lastArrivedAt: last.arrivedAt };
    // An empty newest segment (its writer died before writing) still names the next counter.
    return { endingCounter: first - 1, lastArrivedAt: files.newest(segments.slice(0, -1)).arrivedAt };
  } finally {
    file.close();
  }
}
