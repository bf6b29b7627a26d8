// What `mq groups` shows of each consumer group: per shard, its checkpoint, the live lease holder, and
// the lag after the checkpoint (the unread records and how long the oldest has waited). A group's rows are the
// shards it has a checkpoint or a lease in, and the listed children of shards it reads that it has not
// started yet (read from their first record, so all their records are lag).
import { positionAfterCheckpoint } from '../../core/checkpoints.js';
import { isLeaseLive } from '../../core/leases.js';
import { counterInShard } from '../../core/sequence-numbers.js';
import type { ShardDefinition } from '../../core/shard-map.js';
import { formatShardId } from '../../core/shard-ids.js';
import type { GroupShardLag, StreamPosition } from '../../core/stream-types.js';
import type { StreamContext } from './stream-context.js';
import { listedShards } from './stream-config.js';
import { listGroups, readCheckpoints } from './checkpoint-files.js';
import { readLeases } from './lease-files.js';
import { type ReadHints, readFirst } from './read.js';
import { ShardFiles } from './shard-files.js';

// The records of a shard after `position`, and how long the first of them has waited.
function lagAfter(ctx: StreamContext, shard: ShardDefinition, position: StreamPosition, nowMs: number, hints: ReadHints): { lagRecords: number; lagMs: number } {
  const files = ShardFiles.in(ctx.layout, shard.index);
  const [unread] = readFirst(ctx, files, position, 1, hints);
  if (!unread) return { lagRecords: 0, lagMs: 0 };
  return { lagRecords: files.newest().counter - counterInShard(unread.sequence, shard.index) + 1, lagMs: Math.max(0, nowMs - unread.arrivedAt) };
}

export function groupLags(ctx: StreamContext, nowMs: number, hints: ReadHints): GroupShardLag[] {
  const listed = listedShards(ctx.config, nowMs);
  const lags: GroupShardLag[] = [];
  for (const group of listGroups(ctx.layout)) {
    const stored = new Map(readCheckpoints(ctx.layout, group).map((c) => [c.shardId, c]));
    const leases = new Map(readLeases(ctx.layout, group).map((lease) => [lease.shardId, lease]));
    const known = (index: number | undefined) => index !== undefined && stored.has(formatShardId(index));
    for (const shard of listed) {
      const shardId = formatShardId(shard.index);
      const entry = stored.get(shardId);
      const lease = leases.get(shardId);
      const unstartedChild = !entry && (known(shard.parentIndex) || known(shard.adjacentParentIndex));
      if (!entry && !lease && !unstartedChild) continue;
      const checkpoint = entry?.checkpoint ?? null;
      const position = checkpoint ? positionAfterCheckpoint(checkpoint) : { type: 'trim-horizon' as const };
      const lag: GroupShardLag = { group, shardId, checkpoint, ...(position ? lagAfter(ctx, shard, position, nowMs, hints) : { lagRecords: 0, lagMs: 0 }), updatedAt: entry?.updatedAt ?? 0 };
      if (lease && isLeaseLive(lease, nowMs)) Object.assign(lag, { leaseOwner: lease.owner!, leaseExpiresAt: lease.expiresAt });
      lags.push(lag);
    }
  }
  return lags;
}
