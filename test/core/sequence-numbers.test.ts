import { describe, expect, it } from 'vitest';
import {
  SEQUENCE_DIGITS, compareSequences, counterInShard, formatSequence, parseSequence,
} from '../../src/core/sequence-numbers.js';
import { formatShardId, normalizeShardId, parseShardId } from '../../src/core/shard-ids.js';

describe('sequence numbers', () => {
  it('are all the same width, carry the shard index, and sort as strings in numeric order', () => {
    const numbers = [1, 2, 9, 10, 99, 100, 123_456_789, 2 ** 53 - 1].map((c) => formatSequence(3, c));
    for (const n of numbers) expect(n).toHaveLength(SEQUENCE_DIGITS);
    expect([...numbers].sort()).toEqual(numbers);
    expect(numbers.map((n) => BigInt(n))).toEqual([...numbers].map((n) => BigInt(n)).sort((a, b) => (a < b ? -1 : 1)));
    expect(formatSequence(3, 7)).toBe('100000000000300000000000000000007');
    expect(compareSequences(numbers[0]!, numbers[1]!)).toBe(-1);
    expect(compareSequences(numbers[1]!, numbers[1]!)).toBe(0);
  });

  it('parse back into shard and counter', () => {
    expect(parseSequence('100000000001200000000000000000345')).toEqual({ shardIndex: 12, counter: 345 });
  });

  it('refuse anything that is not one of them', () => {
    for (const text of ['', '123', '2' + '0'.repeat(32), '1' + '0'.repeat(31), '1' + 'a'.repeat(32), `${formatSequence(0, 1)}0`]) {
      expect(() => parseSequence(text)).toThrow(/invalid sequence number/);
    }
  });

  it('refuse a sequence number of another shard', () => {
    expect(counterInShard(formatSequence(2, 9), 2)).toBe(9);
    expect(() => counterInShard(formatSequence(1, 9), 2)).toThrow('belongs to shardId-000000000001, not shardId-000000000002');
  });
});

describe('shard ids', () => {
  it('format as shardId- and 12 digits, and parse from that or the bare index', () => {
    expect(formatShardId(3)).toBe('shardId-000000000003');
    expect(parseShardId('shardId-000000000003')).toBe(3);
    expect(parseShardId('3')).toBe(3);
    expect(normalizeShardId('12')).toBe('shardId-000000000012');
  });

  it('refuse other spellings', () => {
    for (const text of ['', '-1', 'shard-3', 'shardId-3', 'shardId-0000000000003', '1.0', 'x']) {
      expect(() => parseShardId(text)).toThrow(/invalid shard id/);
    }
  });
});
