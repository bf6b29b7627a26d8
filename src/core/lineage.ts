// Lineage order for readers that keep a position (consumer groups): a shard is read only once every
// parent it has is finished (checkpointed SHARD_END, or expired and no longer listed), so a merge child
// waits for both parents and the records of one key come out in the order they were put. Pure.
import type { Checkpoint, ShardInfo, StreamPosition } from './stream-types.js';

export function parentIds(shard: ShardInfo): string[] {
  return [shard.parentShardId, shard.adjacentParentShardId].filter((id): id is string => id !== undefined);
}

export function isFinished(checkpoint: Checkpoint | undefined | null): boolean {
  return checkpoint !== undefined && checkpoint !== null && 'sentinel' in checkpoint && checkpoint.sentinel === 'SHARD_END';
}

// The listed shards a group may read now: not finished themselves, every listed parent finished. A
// parent that is not listed has expired: nothing is left to read in it.
export function readyShards(shards: ShardInfo[], checkpoints: Record<string, Checkpoint>): ShardInfo[] {
  const listed = new Set(shards.map((s) => s.shardId));
  return shards.filter((shard) => !isFinished(checkpoints[shard.shardId])
    && parentIds(shard).every((parent) => !listed.has(parent) || isFinished(checkpoints[parent])));
}

// Shards ordered so that every parent comes before its children (by index among the ready ones).
export function lineageOrder(shards: ShardInfo[]): ShardInfo[] {
  const done: Record<string, Checkpoint> = {};
  const ordered: ShardInfo[] = [];
  let left = [...shards].sort((a, b) => (a.shardId < b.shardId ? -1 : 1));
  while (left.length > 0) {
    const ready = readyShards(left, done);
    // Only a cycle, which no shard map has, could leave nothing ready.
    if (ready.length === 0) return [...ordered, ...left];
    for (const shard of ready) {
      ordered.push(shard);
      done[shard.shardId] = { sentinel: 'SHARD_END' };
    }
    left = left.filter((s) => !ready.includes(s));
  }
  return ordered;
}

// Where a group starts a shard it has no checkpoint for: at the group's start position when the group
// is new (every shard starts there, recorded at once) or for a shard without parents; at its first
// record for a child, whose parents the group read, so nothing put after the reshard is skipped.
export function groupStartFor(shard: ShardInfo, groupIsNew: boolean, start: StreamPosition): StreamPosition {
  return groupIsNew || parentIds(shard).length === 0 ? start : { type: 'trim-horizon' };
}
