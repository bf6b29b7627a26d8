import { describe, expect, it } from 'vitest';
import {
  HASH_KEY_SPACE, MAX_HASH_KEY, evenHashRanges, hashKeyHex, parseExplicitHashKey, partitionKeyHash, partitionKeyHashHex,
} from '../../src/core/hash-keys.js';
import { codeOfSync as codeOf } from '../helpers/error-codes.js';

describe('hash key ranges', () => {
  it('cover 0..2^128-1 exactly, without gaps or overlaps, for even and uneven shard counts', () => {
    for (const count of [1, 2, 3, 4, 7, 10, 1000]) {
      const ranges = evenHashRanges(count);
      expect(ranges).toHaveLength(count);
      expect(ranges[0]!.start).toBe(0n);
      expect(ranges.at(-1)!.end).toBe(MAX_HASH_KEY);
      for (let i = 1; i < count; i++) expect(ranges[i]!.start).toBe(ranges[i - 1]!.end + 1n);
      for (const range of ranges) expect(range.end >= range.start).toBe(true);
    }
  });

  it('start shard i at floor(2^128/N)*i and give the remainder to the last shard', () => {
    const ranges = evenHashRanges(3);
    const width = HASH_KEY_SPACE / 3n;
    expect(ranges.map((r) => r.start)).toEqual([0n, width, 2n * width]);
    expect(ranges[0]!.end.toString()).toBe('113427455640312821154458202477256070484');
    expect(ranges[2]!.end - ranges[2]!.start + 1n).toBe(width + (HASH_KEY_SPACE % 3n));
  });

  it('refuses a shard count that is not a positive integer', () => {
    expect(codeOf(() => evenHashRanges(0))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => evenHashRanges(1.5))).toBe('INVALID_ARGUMENT');
  });
});

describe('explicit hash keys', () => {
  it('accept decimal integers from 0 to 2^128-1', () => {
    expect(parseExplicitHashKey('0')).toBe(0n);
    expect(parseExplicitHashKey('42')).toBe(42n);
    expect(parseExplicitHashKey(MAX_HASH_KEY.toString())).toBe(MAX_HASH_KEY);
  });

  it('refuse 2^128, negatives, leading zeros, fractions, hex and empty strings', () => {
    for (const text of [HASH_KEY_SPACE.toString(), '-1', '01', '1.5', '0x10', '', ' 1', '1e3', '9'.repeat(40)]) {
      expect([text, codeOf(() => parseExplicitHashKey(text))]).toEqual([text, 'INVALID_ARGUMENT']);
    }
  });

  it('print as 32 hex digits, whose string order is numeric order', () => {
    expect(hashKeyHex(0n)).toBe('0'.repeat(32));
    expect(hashKeyHex(MAX_HASH_KEY)).toBe('f'.repeat(32));
    expect(hashKeyHex(255n) < hashKeyHex(256n)).toBe(true);
  });
});

describe('partition key hashing', () => {
  it('is the MD5 of the UTF-8 key, read as a big-endian unsigned integer', () => {
    expect(partitionKeyHashHex('')).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(partitionKeyHash('The quick brown fox jumps over the lazy dog')).toBe(BigInt('0x9e107d9d372bb6826bd81d3542a419d6'));
    // "é" is hashed as its two UTF-8 bytes c3 a9.
    expect(partitionKeyHashHex('é')).toBe('66ddcd97cfdeabb2f6fb8a999b4bc76f');
    expect(partitionKeyHash('user-42')).toBe(partitionKeyHash('user-42'));
  });
});
