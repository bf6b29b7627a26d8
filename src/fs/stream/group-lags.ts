// What `mq groups` shows of each consumer group: per shard, its checkpoint, the live lease holder, and
// the lag after the checkpoint (measured by the caller, which reads the shard). A group's rows are the
// shards it has a checkpoint or a lease in, and the listed children of shards it reads that it has not
// started yet (read from their first record, so all their records are lag).
import { positionAfterCheckpoint } from '../../core/checkpoints.js';
import { isLeaseLive } from '../../core/leases.js';
import type { ShardDefinition } from '../../core/shard-map.js';
import { formatShardId } from '../../core/shard-ids.js';
import type { GroupShardLag, StreamPosition } from '../../core/stream-types.js';
import type { StreamContext } from './stream-context.js';
import { listedShards } from './stream-config.js';
import { listGroups, readCheckpoints } from './checkpoint-files.js';
import { readLeases } from './lease-files.js';

export type LagReader = (shard: ShardDefinition, position: StreamPosition) => { lagRecords: number; lagMs: number };

export function groupLags(ctx: StreamContext, nowMs: number, lagOf: LagReader): GroupShardLag[] {
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
      const lag: GroupShardLag = { group, shardId, checkpoint, ...(position ? lagOf(shard, position) : { lagRecords: 0, lagMs: 0 }), updatedAt: entry?.updatedAt ?? 0 };
      if (lease && isLeaseLive(lease, nowMs)) Object.assign(lag, { leaseOwner: lease.owner!, leaseExpiresAt: lease.expiresAt });
      lags.push(lag);
    }
  }
  return lags;
}
