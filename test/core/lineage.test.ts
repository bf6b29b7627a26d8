import { describe, expect, it } from 'vitest';
import { groupStartFor, isFinished, lineageOrder, parentIds, readyShards } from '../../src/core/lineage.js';
import type { Checkpoint, ShardInfo } from '../../src/core/stream-types.js';

const id = (n: number) => `shardId-${String(n).padStart(12, '0')}`;
function shard(n: number, parents: number[] = [], state: 'open' | 'closed' = 'open'): ShardInfo {
  const info: ShardInfo = {
    shardId: id(n), state, hashKeyRange: { startingHashKey: '0', endingHashKey: '1' }, sequenceNumberRange: { startingSequenceNumber: '1' },
  };
  if (parents[0] !== undefined) info.parentShardId = id(parents[0]);
  if (parents[1] !== undefined) info.adjacentParentShardId = id(parents[1]);
  return info;
}
const END: Checkpoint = { sentinel: 'SHARD_END' };
const ids = (shards: ShardInfo[]) => shards.map((s) => Number(s.shardId.slice(-12)));

// 0 and 1 made at create; 0 split into 2 and 3; 3 and 1 merged into 4.
const map = [shard(0, [], 'closed'), shard(1, [], 'closed'), shard(2, [0]), shard(3, [0], 'closed'), shard(4, [3, 1])];

describe('lineage order', () => {
  it('holds a split child back until its parent is finished (95)', () => {
    expect(ids(readyShards(map, {}))).toEqual([0, 1]);
    expect(ids(readyShards(map, { [id(0)]: END }))).toEqual([1, 2, 3]);
  });

  it('holds a merge child back until both parents are finished (95)', () => {
    expect(ids(readyShards(map, { [id(0)]: END, [id(3)]: END }))).toEqual([1, 2]);
    expect(ids(readyShards(map, { [id(0)]: END, [id(1)]: END, [id(3)]: END }))).toEqual([2, 4]);
  });

  it('does not count a checkpoint short of SHARD_END as finished, and skips finished shards', () => {
    const partway = { [id(0)]: { sequence: '100000000000000000000000000000009' } };
    expect(ids(readyShards(map, partway))).toEqual([0, 1]);
    expect(isFinished({ sentinel: 'TRIM_HORIZON' })).toBe(false);
    expect(isFinished(null)).toBe(false);
    expect(ids(readyShards(map, { [id(0)]: END, [id(1)]: END, [id(3)]: END, [id(2)]: END }))).toEqual([4]);
  });

  it('treats a parent that is no longer listed (expired) as finished (87)', () => {
    expect(ids(readyShards(map.slice(2), {}))).toEqual([2, 3]);
    expect(ids(readyShards([shard(4, [3, 1])], {}))).toEqual([4]);
  });

  it('orders shards parents first, both parents before a merge child', () => {
    expect(ids(lineageOrder([...map].reverse()))).toEqual([0, 1, 2, 3, 4]);
    expect(parentIds(map[4]!)).toEqual([id(3), id(1)]);
  });

  it('starts a new group at its start position everywhere, and a later child at its first record', () => {
    const latest = { type: 'latest' } as const;
    expect(groupStartFor(shard(2, [0]), true, latest)).toEqual(latest);
    expect(groupStartFor(shard(2, [0]), false, latest)).toEqual({ type: 'trim-horizon' });
    expect(groupStartFor(shard(1), false, latest)).toEqual(latest);
  });
});
