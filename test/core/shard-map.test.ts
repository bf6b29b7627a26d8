import { describe, expect, it } from 'vitest';
import { MAX_HASH_KEY, hashKeyHex, partitionKeyHash, partitionKeyHashHex } from '../../src/core/hash-keys.js';
import { createShardRouter, describeShard, initialShardMap } from '../../src/core/shard-map.js';

describe('routing hash keys to shards', () => {
  const shards = initialShardMap(4, 0);
  const route = createShardRouter(shards);

  it('sends each range boundary to the shard that owns it, 0 and 2^128-1 included', () => {
    expect(route(hashKeyHex(0n)).index).toBe(0);
    expect(route(hashKeyHex(MAX_HASH_KEY)).index).toBe(3);
    for (const shard of shards) {
      expect(route(hashKeyHex(shard.hashKeyRange.start)).index).toBe(shard.index);
      expect(route(hashKeyHex(shard.hashKeyRange.end)).index).toBe(shard.index);
    }
  });

  it('routes a partition key to the shard whose range contains int(MD5(key))', () => {
    for (let i = 0; i < 200; i++) {
      const key = `user-${i}`;
      const hash = partitionKeyHash(key);
      const owner = shards.find((s) => s.hashKeyRange.start <= hash && hash <= s.hashKeyRange.end)!;
      expect(route(partitionKeyHashHex(key)).index).toBe(owner.index);
    }
  });

  it('spreads distinct keys about evenly', () => {
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[route(partitionKeyHashHex(`k${i}`)).index]!++;
    for (const count of counts) expect(count).toBeGreaterThan(850);
  });

  it('never routes to a closed shard, and refuses a map with no open shard', () => {
    const map = initialShardMap(2, 0);
    map[1]!.state = 'closed';
    map.push({ index: 2, state: 'open', parentIndex: 1, hashKeyRange: map[1]!.hashKeyRange, createdAt: 0 });
    expect(createShardRouter(map)(hashKeyHex(MAX_HASH_KEY)).index).toBe(2);
    expect(() => createShardRouter(map.map((s) => ({ ...s, state: 'closed' as const })))).toThrow(/no open shard/);
  });

  it('describes a shard with decimal hash keys, its parents and its starting sequence number', () => {
    const child = { index: 5, state: 'closed' as const, parentIndex: 1, adjacentParentIndex: 2, hashKeyRange: { start: 10n, end: 20n }, createdAt: 5, endingCounter: 7, closedAt: 9 };
    expect(describeShard(child)).toEqual({
      shardId: 'shardId-000000000005',
      state: 'closed',
      parentShardId: 'shardId-000000000001',
      adjacentParentShardId: 'shardId-000000000002',
      hashKeyRange: { startingHashKey: '10', endingHashKey: '20' },
      sequenceNumberRange: { startingSequenceNumber: '100000000000500000000000000000001', endingSequenceNumber: '100000000000500000000000000000007' },
      createdAt: 5,
      closedAt: 9,
    });
  });
});
