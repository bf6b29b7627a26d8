// A stream as ListShards and DescribeStreamSummary show it, from its attributes and shard map, whatever
// backend keeps them. Pure.
import { type ShardDefinition, describeShard, isShardExpired } from './shard-map.js';
import { type StreamAttributes, retentionCutoff } from './stream-attributes.js';
import type { StreamInfo } from './stream-types.js';

export interface StreamMap {
  name: string;
  attributes: StreamAttributes;
  shards: ShardDefinition[];
  createdAt: number;
  updatedAt: number;
  // Records that arrived at or before this stay hidden, whatever the retention becomes (retentionCutoff).
  trimmedBefore: number;
}

// The shards listed at `nowMs`: all but the closed ones whose closing is past retention.
export function listedShards(map: StreamMap, nowMs: number): ShardDefinition[] {
  const cutoff = retentionCutoff(nowMs, map.attributes.retentionMs, map.trimmedBefore);
  return map.shards.filter((shard) => !isShardExpired(shard, cutoff));
}

export function streamInfo(map: StreamMap, nowMs: number): StreamInfo {
  const shards = listedShards(map, nowMs);
  return {
    name: map.name,
    attributes: map.attributes,
    status: 'active',
    mode: 'provisioned',
    encryption: 'none',
    shardCount: shards.length,
    openShardCount: shards.filter((s) => s.state === 'open').length,
    shards: shards.map(describeShard),
    createdAt: map.createdAt,
    updatedAt: map.updatedAt,
  };
}
