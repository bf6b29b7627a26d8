// Splitting and merging shards, and UpdateShardCount's uniform plan built from them: pure changes of a
// shard map. A change lists the open shards it closes, so that the store can seal them with their ending
// sequence numbers (read under their append locks) before it publishes the new map.
import { MqError, invalidArgument } from './errors.js';
import { HASH_KEY_SPACE, type HashKeyRange, MAX_HASH_KEY, parseExplicitHashKey } from './hash-keys.js';
import { type ShardDefinition, describeShard, openShardsByRange } from './shard-map.js';
import { parentIds } from './lineage.js';
import type { ChildShard } from './stream-types.js';
import { formatShardId } from './shard-ids.js';
import { STREAM_LIMITS } from './stream-attributes.js';

export interface ShardMapChange {
  // The whole map after the change; the shards in `closing` are closed but not yet sealed.
  shards: ShardDefinition[];
  // Indexes of shards open before the change that it closes.
  closing: number[];
  // Indexes of the shards it creates, in creation order (some may be closed again within the change).
  created: number[];
}

// What the store read of a closing shard under its append lock.
export interface ShardEnd {
  endingCounter: number;
  lastArrivedAt: number;
}

// Shard indexes are never reused: a child takes the next index after every shard ever made.
export function nextShardIndex(shards: ShardDefinition[]): number {
  return shards.reduce((next, shard) => Math.max(next, shard.index + 1), 0);
}

function openShard(shards: ShardDefinition[], stream: string, index: number): ShardDefinition {
  const shard = shards.find((s) => s.index === index);
  if (!shard) throw new MqError('SHARD_NOT_FOUND', `stream "${stream}" has no shard ${formatShardId(index)}`);
  if (shard.state !== 'open') {
    throw new MqError('SHARD_CLOSED', `${formatShardId(index)} of stream "${stream}" is closed: it was split or merged already`);
  }
  return shard;
}

// A split point given as text: a decimal hash key in 0..2^128-1.
export function parseSplitHashKey(text: string): bigint {
  try {
    return parseExplicitHashKey(text);
  } catch {
    throw invalidArgument(`invalid hash key ${JSON.stringify(text)} to split at: use a decimal integer from 0 to 2^128-1`);
  }
}

// The default split point: the middle of the range (the upper child gets the extra key of an odd width).
export function middleHashKey(range: HashKeyRange): bigint {
  return range.start + (range.end - range.start + 1n) / 2n;
}

function closeInMap(shards: ShardDefinition[], indexes: number[], nowMs: number): ShardDefinition[] {
  return shards.map((s) => (indexes.includes(s.index) ? { ...s, state: 'closed' as const, closedAt: nowMs } : s));
}

// SplitShard: the parent closes; the lower child takes [start, at-1], the upper one [at, end]. `at` must
// leave both children at least one key (start < at <= end); by default it is the middle of the range.
export function splitShard(shards: ShardDefinition[], stream: string, index: number, at: bigint | undefined, nowMs: number): ShardMapChange {
  const parent = openShard(shards, stream, index);
  const { start, end } = parent.hashKeyRange;
  if (start === end) throw invalidArgument(`${formatShardId(index)} covers a single hash key and cannot be split`);
  const key = at ?? middleHashKey(parent.hashKeyRange);
  if (key <= start || key > end) {
    throw invalidArgument(`hash key ${key} does not split ${formatShardId(index)}: use a key from ${start + 1n} to ${end}`);
  }
  const next = nextShardIndex(shards);
  const child = (offset: number, range: HashKeyRange): ShardDefinition => ({
    index: next + offset, state: 'open', parentIndex: index, hashKeyRange: range, createdAt: nowMs,
  });
  return {
    shards: [...closeInMap(shards, [index], nowMs), child(0, { start, end: key - 1n }), child(1, { start: key, end })],
    closing: [index],
    created: [next, next + 1],
  };
}

// MergeShards: two open shards with adjacent ranges close; one child covers both, with the first as its
// parent and the second as its adjacent parent.
export function mergeShards(shards: ShardDefinition[], stream: string, index: number, adjacentIndex: number, nowMs: number): ShardMapChange {
  if (index === adjacentIndex) throw invalidArgument(`cannot merge ${formatShardId(index)} with itself`);
  const a = openShard(shards, stream, index);
  const b = openShard(shards, stream, adjacentIndex);
  const [low, high] = a.hashKeyRange.start < b.hashKeyRange.start ? [a, b] : [b, a];
  if (low.hashKeyRange.end + 1n !== high.hashKeyRange.start) {
    throw invalidArgument(`${formatShardId(index)} and ${formatShardId(adjacentIndex)} cannot be merged: their hash key ranges are not adjacent`);
  }
  const next = nextShardIndex(shards);
  const child: ShardDefinition = {
    index: next, state: 'open', parentIndex: index, adjacentParentIndex: adjacentIndex,
    hashKeyRange: { start: low.hashKeyRange.start, end: high.hashKeyRange.end }, createdAt: nowMs,
  };
  return { shards: [...closeInMap(shards, [index, adjacentIndex], nowMs), child], closing: [index, adjacentIndex], created: [next] };
}

// The target counts UpdateShardCount accepts from `open` open shards: half to twice as many.
export function shardCountRange(open: number): { min: number; max: number } {
  return { min: Math.ceil(open / 2), max: Math.min(open * 2, STREAM_LIMITS.shardCount.max) };
}

// A boundary this close to an even one counts as even: 2^64 keys are 2^-64 of the hash key space.
export const EVEN_ENOUGH_KEYS = 1n << 64n;

// The ranges of `target` even shards: boundary i at floor(i * 2^128 / target), or at the start of an
// open shard within EVEN_ENOUGH_KEYS of it (create-stream's floor(2^128/N)*i boundaries differ from the
// exact ones by fewer than N keys), so that 3 -> 6 or 8 -> 4 reuse the boundaries already there instead
// of cutting slivers.
export function evenEnoughRanges(target: number, open: ShardDefinition[]): HashKeyRange[] {
  const existing = open.map((s) => s.hashKeyRange.start).filter((start) => start > 0n);
  const starts = [0n];
  for (let i = 1; i < target; i++) {
    const ideal = (BigInt(i) * HASH_KEY_SPACE) / BigInt(target);
    const near = existing.find((start) => (start > ideal ? start - ideal : ideal - start) <= EVEN_ENOUGH_KEYS);
    starts.push(near ?? ideal);
  }
  return starts.map((start, i) => ({ start, end: i === starts.length - 1 ? MAX_HASH_KEY : starts[i + 1]! - 1n }));
}

// UpdateShardCount (UNIFORM_SCALING): `target` open shards with even ranges (evenEnoughRanges),
// reached by splits and merges only. First every open shard is split at each target boundary inside it
// (so each piece lies within one target range), then the pieces of each target range are merged left to
// right. Pieces made and closed within the plan never receive a record: the store publishes the final
// map at once. Already `target` even shards: no change.
export function uniformReshard(shards: ShardDefinition[], stream: string, target: number, nowMs: number): ShardMapChange {
  const open = openShardsByRange(shards);
  const { min, max } = shardCountRange(open.length);
  if (!Number.isInteger(target) || target < min || target > max) {
    throw invalidArgument(`target shard count must be from ${min} to ${max} (half to twice the ${open.length} open shards), got ${target}`);
  }
  const ranges = evenEnoughRanges(target, open);
  const same = (a: HashKeyRange, b: HashKeyRange) => a.start === b.start && a.end === b.end;
  if (open.length === target && open.every((s, i) => same(s.hashKeyRange, ranges[i]!))) return { shards, closing: [], created: [] };

  let map = shards;
  const created: number[] = [];
  const apply = (change: ShardMapChange) => {
    map = change.shards;
    created.push(...change.created);
  };
  const pieces: ShardDefinition[] = [];
  const boundaries = ranges.slice(1).map((r) => r.start);
  for (const shard of open) {
    let current = shard;
    for (const boundary of boundaries) {
      if (boundary <= current.hashKeyRange.start || boundary > current.hashKeyRange.end) continue;
      const change = splitShard(map, stream, current.index, boundary, nowMs);
      apply(change);
      pieces.push(map.find((s) => s.index === change.created[0])!);
      current = map.find((s) => s.index === change.created[1])!;
    }
    pieces.push(current);
  }
  for (const range of ranges) {
    const inside = pieces.filter((p) => p.hashKeyRange.start >= range.start && p.hashKeyRange.end <= range.end);
    let merged = inside[0]!;
    for (const piece of inside.slice(1)) {
      const change = mergeShards(map, stream, merged.index, piece.index, nowMs);
      apply(change);
      merged = map.find((s) => s.index === change.created[0])!;
    }
  }
  // Shards made and closed again within the plan never held a record.
  map = map.map((s) => (created.includes(s.index) && s.state === 'closed' ? { ...s, endingCounter: 0 } : s));
  const closing = open.filter((s) => map.find((m) => m.index === s.index)!.state === 'closed').map((s) => s.index);
  return { shards: map, closing, created };
}

// The change with its closing shards sealed: their ending counters and closing times recorded (never
// earlier than their last record, so that expiry by closing time expires every record in them).
export function sealClosing(change: ShardMapChange, ends: Map<number, ShardEnd>, nowMs: number): ShardDefinition[] {
  return change.shards.map((shard) => {
    if (!change.closing.includes(shard.index)) return shard;
    const end = ends.get(shard.index);
    if (!end) throw new MqError('INTERNAL', `no ending sequence read for ${formatShardId(shard.index)}`);
    return { ...shard, endingCounter: end.endingCounter, closedAt: Math.max(nowMs, end.lastArrivedAt) };
  });
}

// The shards that took a closed shard's hash keys over, as GetRecords names them at its end.
export function childShardsOf(shards: ShardDefinition[], index: number): ChildShard[] {
  return shards
    .filter((s) => s.parentIndex === index || s.adjacentParentIndex === index)
    .map((s) => {
      const info = describeShard(s);
      return { shardId: info.shardId, parentShards: parentIds(info), hashKeyRange: info.hashKeyRange };
    });
}
