// Shards as Kinesis describes them (ListShards, DescribeStream) and ListShards' ShardFilter: which shards
// were open at, or from, the trim horizon, a time, the tip, or come after a shard id.
import type { ShardInfo } from '../../core/stream-types.js';
import { ApiError } from '../api/api-error.js';

export function shardShape(shard: ShardInfo) {
  return {
    ShardId: shard.shardId,
    ...(shard.parentShardId !== undefined ? { ParentShardId: shard.parentShardId } : {}),
    ...(shard.adjacentParentShardId !== undefined ? { AdjacentParentShardId: shard.adjacentParentShardId } : {}),
    HashKeyRange: { StartingHashKey: shard.hashKeyRange.startingHashKey, EndingHashKey: shard.hashKeyRange.endingHashKey },
    SequenceNumberRange: {
      StartingSequenceNumber: shard.sequenceNumberRange.startingSequenceNumber,
      ...(shard.sequenceNumberRange.endingSequenceNumber !== undefined ? { EndingSequenceNumber: shard.sequenceNumberRange.endingSequenceNumber } : {}),
    },
  };
}

export const SHARD_FILTER_TYPES = ['AFTER_SHARD_ID', 'AT_TRIM_HORIZON', 'FROM_TRIM_HORIZON', 'AT_LATEST', 'AT_TIMESTAMP', 'FROM_TIMESTAMP'] as const;

export interface ShardFilter {
  Type: string;
  ShardId?: string;
  Timestamp?: number;
}

// The listed shards that pass the filter, the trim horizon being the time `horizon`; a shard is open at
// time T when it was made at or before T and had not closed by then.
export function filterShards(shards: ShardInfo[], filter: ShardFilter | undefined, horizon: number, now: number): ShardInfo[] {
  const openAt = (shard: ShardInfo, t: number) => (shard.createdAt ?? 0) <= t && (shard.closedAt === undefined || shard.closedAt > t);
  const openFrom = (shard: ShardInfo, t: number) => shard.closedAt === undefined || shard.closedAt > t;
  switch (filter?.Type ?? 'FROM_TRIM_HORIZON') {
    case 'AFTER_SHARD_ID':
      if (filter?.ShardId === undefined) throw new ApiError('InvalidArgumentException', 'ShardId is required with the AFTER_SHARD_ID filter.');
      return shards.filter((shard) => shard.shardId > filter.ShardId!);
    case 'AT_TRIM_HORIZON':
      return shards.filter((shard) => openAt(shard, horizon));
    case 'FROM_TRIM_HORIZON':
      return shards;
    case 'AT_LATEST':
      return shards.filter((shard) => shard.state === 'open');
    case 'AT_TIMESTAMP':
    case 'FROM_TIMESTAMP': {
      const t = filter?.Timestamp;
      if (t === undefined) throw new ApiError('InvalidArgumentException', `Timestamp is required with the ${filter!.Type} filter.`);
      const at = Math.min(t, now);
      return shards.filter((shard) => (filter!.Type === 'AT_TIMESTAMP' ? openAt(shard, at) : openFrom(shard, at)));
    }
    default:
      throw new ApiError('InvalidArgumentException', `Unknown ShardFilter type ${filter!.Type}.`);
  }
}
