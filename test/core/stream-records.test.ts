// Rules of one record (stream-records.ts): partition keys and random keys.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkPartitionKey, createRandomKeyFactory } from '../../src/core/stream-records.js';
import { codeOfSync as codeOf } from '../helpers/error-codes.js';

describe('records', () => {
  it('need a partition key of 1 to 256 characters (counting characters, not UTF-16 units)', () => {
    expect(checkPartitionKey('k')).toBe('k');
    expect(checkPartitionKey('x'.repeat(256))).toHaveLength(256);
    expect(checkPartitionKey('😀'.repeat(256))).toHaveLength(512);
    expect(codeOf(() => checkPartitionKey(''))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => checkPartitionKey('x'.repeat(257)))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => checkPartitionKey('😀'.repeat(257)))).toBe('INVALID_ARGUMENT');
  });

  it('get distinct random keys when none is given', () => {
    const next = createRandomKeyFactory(randomBytes);
    const keys = new Set(Array.from({ length: 1000 }, () => next()));
    expect(keys.size).toBe(1000);
    for (const key of keys) expect(key).toMatch(/^[A-Za-z0-9_-]{1,256}$/);
  });
});
