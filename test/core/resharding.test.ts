import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HASH_KEY_SPACE, MAX_HASH_KEY, evenHashRanges } from '../../src/core/hash-keys.js';
import {
  EVEN_ENOUGH_KEYS, evenEnoughRanges, mergeShards, middleHashKey, nextShardIndex, parseSplitHashKey, sealClosing, shardCountRange,
  splitShard, uniformReshard,
} from '../../src/core/resharding.js';
import { type ShardDefinition, initialShardMap } from '../../src/core/shard-map.js';
import { codeOfSync } from '../helpers/error-codes.js';

const NOW = 1_000;
const open = (shards: ShardDefinition[]) =>
  shards.filter((s) => s.state === 'open').sort((a, b) => (a.hashKeyRange.start < b.hashKeyRange.start ? -1 : 1));

// The open shards cover 0..2^128-1 exactly, without gaps or overlaps.
function expectFullCover(shards: ShardDefinition[]): void {
  const ranges = open(shards).map((s) => s.hashKeyRange);
  expect(ranges[0]!.start).toBe(0n);
  expect(ranges.at(-1)!.end).toBe(MAX_HASH_KEY);
  for (let i = 1; i < ranges.length; i++) expect(ranges[i]!.start).toBe(ranges[i - 1]!.end + 1n);
}

// The open shards are `target` even ones: boundary i within 2^64 keys of i * 2^128 / target.
function expectEven(shards: ShardDefinition[], target: number): void {
  const live = open(shards);
  expect(live).toHaveLength(target);
  live.forEach((shard, i) => {
    const ideal = (BigInt(i) * HASH_KEY_SPACE) / BigInt(target);
    const off = shard.hashKeyRange.start > ideal ? shard.hashKeyRange.start - ideal : ideal - shard.hashKeyRange.start;
    expect(off <= EVEN_ENOUGH_KEYS).toBe(true);
  });
  expectFullCover(shards);
}

// Every closed shard's range is exactly covered by its children; every child names existing parents.
function expectLineage(shards: ShardDefinition[]): void {
  for (const shard of shards) {
    for (const parent of [shard.parentIndex, shard.adjacentParentIndex]) {
      if (parent !== undefined) expect(shards.find((s) => s.index === parent)?.state).toBe('closed');
    }
    if (shard.state !== 'closed') continue;
    const children = shards.filter((s) => s.parentIndex === shard.index || s.adjacentParentIndex === shard.index);
    expect(children.length).toBeGreaterThan(0);
    const lo = children.reduce((m, c) => (c.hashKeyRange.start < m ? c.hashKeyRange.start : m), MAX_HASH_KEY);
    const hi = children.reduce((m, c) => (c.hashKeyRange.end > m ? c.hashKeyRange.end : m), 0n);
    if (children.length === 1) {
      // A merge child covers its parent and the adjacent one.
      expect(lo <= shard.hashKeyRange.start && hi >= shard.hashKeyRange.end).toBe(true);
    } else {
      expect([lo, hi]).toEqual([shard.hashKeyRange.start, shard.hashKeyRange.end]);
    }
  }
  expect(new Set(shards.map((s) => s.index)).size).toBe(shards.length);
}

describe('splitting a shard', () => {
  it('closes the parent and makes two children at the next free indexes, split at the middle by default (80)', () => {
    const change = splitShard(initialShardMap(2, 0), 'ev', 0, undefined, NOW);
    const [parent, , low, high] = change.shards;
    expect(change).toMatchObject({ closing: [0], created: [2, 3] });
    expect(parent).toMatchObject({ index: 0, state: 'closed', closedAt: NOW });
    const half = 2n ** 127n;
    expect(low).toEqual({ index: 2, state: 'open', parentIndex: 0, hashKeyRange: { start: 0n, end: half / 2n - 1n }, createdAt: NOW });
    expect(high).toEqual({ index: 3, state: 'open', parentIndex: 0, hashKeyRange: { start: half / 2n, end: half - 1n }, createdAt: NOW });
    expectFullCover(change.shards);
  });

  it('accepts a key that leaves both children a key (start < key <= end) and refuses the others (81)', () => {
    const map: ShardDefinition[] = [{ index: 0, state: 'open', hashKeyRange: { start: 10n, end: 20n }, createdAt: 0 }];
    expect(codeOfSync(() => splitShard(map, 'ev', 0, 10n, NOW))).toBe('INVALID_ARGUMENT');
    expect(codeOfSync(() => splitShard(map, 'ev', 0, 21n, NOW))).toBe('INVALID_ARGUMENT');
    expect(codeOfSync(() => splitShard(map, 'ev', 0, 9n, NOW))).toBe('INVALID_ARGUMENT');
    expect(splitShard(map, 'ev', 0, 11n, NOW).shards.slice(1).map((s) => s.hashKeyRange)).toEqual([{ start: 10n, end: 10n }, { start: 11n, end: 20n }]);
    expect(splitShard(map, 'ev', 0, 20n, NOW).shards.slice(1).map((s) => s.hashKeyRange)).toEqual([{ start: 10n, end: 19n }, { start: 20n, end: 20n }]);
    expect(() => splitShard(map, 'ev', 0, 5n, NOW)).toThrow(/use a key from 11 to 20/);
  });

  it('splits odd and two-key ranges at their middle, and refuses a single-key shard', () => {
    expect(middleHashKey({ start: 10n, end: 20n })).toBe(15n);
    expect(middleHashKey({ start: 10n, end: 11n })).toBe(11n);
    expect(middleHashKey({ start: 0n, end: MAX_HASH_KEY })).toBe(2n ** 127n);
    const single: ShardDefinition[] = [{ index: 0, state: 'open', hashKeyRange: { start: 7n, end: 7n }, createdAt: 0 }];
    expect(() => splitShard(single, 'ev', 0, undefined, NOW)).toThrow(/single hash key/);
  });

  it('refuses a closed shard (SHARD_CLOSED, exit 4) and a missing one (SHARD_NOT_FOUND) (81)', () => {
    const { shards } = splitShard(initialShardMap(1, 0), 'ev', 0, undefined, NOW);
    expect(codeOfSync(() => splitShard(shards, 'ev', 0, undefined, NOW))).toBe('SHARD_CLOSED');
    expect(codeOfSync(() => splitShard(shards, 'ev', 9, undefined, NOW))).toBe('SHARD_NOT_FOUND');
    expect(() => splitShard(shards, 'ev', 0, undefined, NOW)).toThrow('shardId-000000000000 of stream "ev" is closed: it was split or merged already');
  });

  it('parses a split key as a decimal hash key', () => {
    expect(parseSplitHashKey('42')).toBe(42n);
    for (const bad of ['-1', 'x', (MAX_HASH_KEY + 1n).toString(), '01']) expect(codeOfSync(() => parseSplitHashKey(bad))).toBe('INVALID_ARGUMENT');
  });
});

describe('merging shards', () => {
  it('closes two adjacent open shards into one child over both ranges, with both parents recorded (82)', () => {
    const change = mergeShards(initialShardMap(3, 0), 'ev', 2, 1, NOW);
    const [r0, r1, r2] = evenHashRanges(3);
    expect(change).toMatchObject({ closing: [2, 1], created: [3] });
    expect(change.shards[3]).toEqual({
      index: 3, state: 'open', parentIndex: 2, adjacentParentIndex: 1, hashKeyRange: { start: r1!.start, end: r2!.end }, createdAt: NOW,
    });
    expect(change.shards.slice(0, 3).map((s) => s.state)).toEqual(['open', 'closed', 'closed']);
    expect(r0).toBeDefined();
    expectFullCover(change.shards);
  });

  it('refuses shards that are not adjacent, the same shard twice, and closed shards (82)', () => {
    const map = initialShardMap(3, 0);
    expect(() => mergeShards(map, 'ev', 0, 2, NOW)).toThrow(/not adjacent/);
    expect(codeOfSync(() => mergeShards(map, 'ev', 1, 1, NOW))).toBe('INVALID_ARGUMENT');
    const { shards } = mergeShards(map, 'ev', 0, 1, NOW);
    expect(codeOfSync(() => mergeShards(shards, 'ev', 1, 2, NOW))).toBe('SHARD_CLOSED');
    expect(codeOfSync(() => mergeShards(shards, 'ev', 3, 2, NOW))).toBeUndefined();
  });
});

describe('UpdateShardCount (uniform)', () => {
  const plans: [number, number, number, number][] = [
    // from, to, splits, merges
    [1, 2, 1, 0], [2, 4, 2, 0], [3, 5, 4, 2], [8, 4, 0, 4], [4, 2, 0, 2], [5, 3, 2, 4], [4, 3, 2, 3], [2, 1, 0, 1], [3, 6, 3, 0],
    [6, 3, 0, 3], [5, 10, 5, 0],
  ];
  for (const [from, to, splits, merges] of plans) {
    it(`goes from ${from} to ${to} even shards with ${splits} splits and ${merges} merges, lineage recorded (86)`, () => {
      const change = uniformReshard(initialShardMap(from, 0), 'ev', to, NOW);
      expect(open(change.shards).map((s) => s.hashKeyRange)).toEqual(evenEnoughRanges(to, open(initialShardMap(from, 0))));
      expectEven(change.shards, to);
      expectLineage(change.shards);
      const created = change.shards.filter((s) => change.created.includes(s.index));
      expect(created.filter((s) => s.adjacentParentIndex !== undefined)).toHaveLength(merges);
      expect(created.filter((s) => s.adjacentParentIndex === undefined)).toHaveLength(2 * splits);
      // Shards made and closed within the plan never held a record: they are sealed empty.
      for (const s of created.filter((c) => c.state === 'closed')) expect(s).toMatchObject({ endingCounter: 0, closedAt: NOW });
      expect(change.closing.sort()).toEqual(initialShardMap(from, 0).map((s) => s.index).filter((i) => change.shards[i]!.state === 'closed'));
    });
  }

  it('accepts half to twice the open count only, and changes nothing when already uniform', () => {
    expect(shardCountRange(3)).toEqual({ min: 2, max: 6 });
    expect(shardCountRange(1)).toEqual({ min: 1, max: 2 });
    expect(shardCountRange(800)).toEqual({ min: 400, max: 1000 });
    const map = initialShardMap(3, 0);
    for (const target of [1, 7, 0, 2.5]) expect([target, codeOfSync(() => uniformReshard(map, 'ev', target, NOW))]).toEqual([target, 'INVALID_ARGUMENT']);
    expect(() => uniformReshard(map, 'ev', 7, NOW)).toThrow('target shard count must be from 2 to 6 (half to twice the 3 open shards), got 7');
    expect(uniformReshard(map, 'ev', 3, NOW)).toEqual({ shards: map, closing: [], created: [] });
  });

  it('keeps the boundaries create-stream made when they are even enough, and uses exact ones elsewhere', () => {
    expect(evenEnoughRanges(3, initialShardMap(3, 0))).toEqual(evenHashRanges(3));
    const twelve = evenEnoughRanges(12, initialShardMap(6, 0));
    expect(twelve.filter((_, i) => i % 2 === 0)).toEqual(evenHashRanges(6).map((r) => ({ start: r.start, end: expect.any(BigInt) })));
    expect(evenEnoughRanges(2, [])[1]!.start).toBe(2n ** 127n);
  });

  it('makes any reachable map uniform: random splits and merges, then a random target (86)', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 6 }),
      fc.array(fc.tuple(fc.boolean(), fc.nat(), fc.nat()), { maxLength: 8 }),
      fc.nat(),
      (initial, steps, targetSeed) => {
        let shards = initialShardMap(initial, 0);
        for (const [split, a, b] of steps) {
          const live = open(shards);
          try {
            if (split || live.length < 2) shards = splitShard(shards, 'ev', live[a % live.length]!.index, undefined, NOW).shards;
            else shards = mergeShards(shards, 'ev', live[a % (live.length - 1)]!.index, live[(a % (live.length - 1)) + 1]!.index, NOW).shards;
          } catch {
            // A single-key shard cannot be split: skip that step.
          }
          void b;
        }
        const { min, max } = shardCountRange(open(shards).length);
        const target = min + (targetSeed % (max - min + 1));
        const change = uniformReshard(shards, 'ev', target, NOW);
        expectEven(change.shards, target);
        expectLineage(change.shards);
        // Applying the same count again changes nothing.
        expect(uniformReshard(change.shards, 'ev', target, NOW).created).toEqual([]);
        for (const index of change.closing) expect(shards.find((s) => s.index === index)?.state).toBe('open');
      },
    ), { numRuns: 200 });
  });

  it('seals closing shards with their ending counter, closed no earlier than their last record', () => {
    const change = mergeShards(initialShardMap(2, 0), 'ev', 0, 1, NOW);
    const sealed = sealClosing(change, new Map([[0, { endingCounter: 7, lastArrivedAt: NOW + 50 }], [1, { endingCounter: 0, lastArrivedAt: 0 }]]), NOW);
    expect(sealed.slice(0, 2).map((s) => [s.endingCounter, s.closedAt])).toEqual([[7, NOW + 50], [0, NOW]]);
    expect(() => sealClosing(change, new Map(), NOW)).toThrow(/no ending sequence/);
    expect(nextShardIndex(sealed)).toBe(3);
  });
});
