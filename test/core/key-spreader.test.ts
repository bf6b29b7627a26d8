import { describe, expect, it } from 'vitest';
import { partitionKeyHashHex } from '../../src/core/hash-keys.js';
import { createKeySpreader, findShardKeys } from '../../src/core/key-spreader.js';
import { createShardRouter, initialShardMap } from '../../src/core/shard-map.js';
import { createRandomKeyFactory } from '../../src/core/stream-records.js';

const counterKeys = (prefix = 'p') => {
  let n = 0;
  return () => `${prefix}${(n++).toString(36)}`;
};

describe('spreading records put without a key', () => {
  it('finds, for each open shard, a key whose MD5 routes to it, in shard index order', () => {
    const shards = initialShardMap(8, 0);
    const route = createShardRouter(shards);
    const keys = findShardKeys(shards, counterKeys(), partitionKeyHashHex, route);
    expect(keys.map((k) => k.shard.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    for (const { shard, key } of keys) expect(route(partitionKeyHashHex(key)).index).toBe(shard.index);
    expect(new Set(keys.map((k) => k.key)).size).toBe(8);
  });

  it('takes the first key for a single shard without hashing it', () => {
    const shards = initialShardMap(1, 0);
    const hashed: string[] = [];
    const keys = findShardKeys(shards, counterKeys('only'), (key) => (hashed.push(key), partitionKeyHashHex(key)), createShardRouter(shards));
    expect(keys.map((k) => [k.shard.index, k.key])).toEqual([[0, 'only0']]);
    expect(hashed).toEqual([]);
  });

  it('uses keys of the factory (a per-process random prefix), so two processes use different keys', () => {
    const shards = initialShardMap(4, 0);
    const route = createShardRouter(shards);
    let seed = 0;
    const random = (size: number) => Uint8Array.from({ length: size }, () => ++seed);
    const a = findShardKeys(shards, createRandomKeyFactory(random), partitionKeyHashHex, route);
    const b = findShardKeys(shards, createRandomKeyFactory(random), partitionKeyHashHex, route);
    expect(a).toHaveLength(4);
    expect(b).toHaveLength(4);
    for (const key of a.map((k) => k.key)) expect(b.map((k) => k.key)).not.toContain(key);
  });

  it('gives up after the tries allowed, leaving out shards no key was found for', () => {
    const shards = initialShardMap(4, 0);
    const route = createShardRouter(shards);
    // Every key hashes to shard 2.
    const keys = findShardKeys(shards, counterKeys(), () => shards[2]!.hashKeyRange.start.toString(16).padStart(32, '0'), route, 10);
    expect(keys.map((k) => k.shard.index)).toEqual([2]);
    let tries = 0;
    findShardKeys(shards, () => `k${tries++}`, () => '0'.repeat(32), route, 10);
    expect(tries).toBe(10);
  });

  it('hands out the shard keys round-robin', () => {
    const shards = initialShardMap(3, 0);
    const spreader = createKeySpreader(findShardKeys(shards, counterKeys(), partitionKeyHashHex, createShardRouter(shards)));
    expect(Array.from({ length: 7 }, () => spreader.next().shard.index)).toEqual([0, 1, 2, 0, 1, 2, 0]);
    expect(spreader.next().key).toBe(spreader.keys[1]!.key);
  });

  it('refuses to spread over no keys', () => {
    expect(() => createKeySpreader([])).toThrow();
  });
});
