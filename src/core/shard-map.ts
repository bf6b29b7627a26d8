// A stream's shard map: every shard with its hash key range, state and parents, and the routing of a
// hash key to the open shard whose range contains it. Closed shards (after a split or merge) stay in the
// map, readable, and receive no writes; once retention has passed their closing they are expired and no
// longer listed (their index is never given out again).
import { invalidArgument } from './errors.js';
import { type HashKeyRange, evenHashRanges, hashKeyHex } from './hash-keys.js';
import { formatShardId } from './shard-ids.js';
import { formatSequence } from './sequence-numbers.js';
import type { ShardInfo } from './stream-types.js';

export interface ShardDefinition {
  index: number;
  state: 'open' | 'closed';
  parentIndex?: number;
  adjacentParentIndex?: number;
  hashKeyRange: HashKeyRange;
  createdAt: number;
  // Set when the shard closes: the counter of its last record (0 when it had none), and the time it
  // closed, never earlier than its last record's arrival.
  endingCounter?: number;
  closedAt?: number;
}

// A closed shard expires once its closing is past retention: every record in it arrived before that.
export function isShardExpired(shard: ShardDefinition, cutoff: number): boolean {
  return shard.state === 'closed' && shard.closedAt !== undefined && shard.closedAt <= cutoff;
}

export function initialShardMap(count: number, nowMs: number): ShardDefinition[] {
  return evenHashRanges(count).map((hashKeyRange, index) => ({ index, state: 'open', hashKeyRange, createdAt: nowMs }));
}

// Maps a hash key (32 hex digits) to the open shard containing it, by binary search over range starts.
export type ShardRouter = (hashKeyHex: string) => ShardDefinition;

// The open shards, in the order of their hash key ranges.
export function openShardsByRange(shards: ShardDefinition[]): ShardDefinition[] {
  return shards.filter((s) => s.state === 'open').sort((a, b) => (a.hashKeyRange.start < b.hashKeyRange.start ? -1 : 1));
}

export function createShardRouter(shards: ShardDefinition[]): ShardRouter {
  const open = openShardsByRange(shards);
  if (open.length === 0) throw invalidArgument('the stream has no open shard');
  if (open.length === 1) {
    const only = open[0]!;
    return () => only;
  }
  const starts = open.map((s) => hashKeyHex(s.hashKeyRange.start));
  return (key) => {
    let lo = 0;
    let hi = open.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= key) lo = mid;
      else hi = mid - 1;
    }
    return open[lo]!;
  };
}

// The shard as the StreamStore reports it (hash keys and sequence numbers as decimal strings).
export function describeShard(shard: ShardDefinition): ShardInfo {
  const info: ShardInfo = {
    shardId: formatShardId(shard.index),
    state: shard.state,
    hashKeyRange: { startingHashKey: shard.hashKeyRange.start.toString(), endingHashKey: shard.hashKeyRange.end.toString() },
    sequenceNumberRange: { startingSequenceNumber: formatSequence(shard.index, 1) },
    createdAt: shard.createdAt,
  };
  if (shard.parentIndex !== undefined) info.parentShardId = formatShardId(shard.parentIndex);
  if (shard.adjacentParentIndex !== undefined) info.adjacentParentShardId = formatShardId(shard.adjacentParentIndex);
  if (shard.endingCounter !== undefined) info.sequenceNumberRange.endingSequenceNumber = formatSequence(shard.index, shard.endingCounter);
  if (shard.closedAt !== undefined) info.closedAt = shard.closedAt;
  return info;
}
