import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  STREAM_LIMITS, checkRetentionChange, checkShardCount, isExpired, newStreamAttributes, retentionCutoff,
} from '../../src/core/stream-attributes.js';
import { HOUR } from '../../src/core/queue-attributes.js';
import { checkPartitionKey, createRandomKeyFactory } from '../../src/core/stream-records.js';
import { codeOfSync as codeOf } from '../helpers/error-codes.js';

describe('stream attributes', () => {
  it('default to 24 h retention, 1 MiB records and fsync', () => {
    expect(newStreamAttributes({})).toEqual({ retentionMs: 24 * HOUR, maxRecordBytes: 1024 * 1024, durability: 'fsync' });
  });

  it('accept retention from 24 h to 8,760 h and record sizes from 1 MiB to 10 MiB', () => {
    expect(newStreamAttributes({ retentionMs: 8760 * HOUR, maxRecordBytes: 10 * 1024 * 1024 }).retentionMs).toBe(8760 * HOUR);
    for (const bad of [{ retentionMs: 24 * HOUR - 1 }, { retentionMs: 8760 * HOUR + 1 }, { maxRecordBytes: 1024 * 1024 - 1 }, { maxRecordBytes: 10 * 1024 * 1024 + 1 }]) {
      expect(codeOf(() => newStreamAttributes(bad))).toBe('INVALID_ARGUMENT');
    }
    expect(() => newStreamAttributes({ retentionMs: HOUR })).toThrow('retention must be between 24h and 8760h, got 1h');
  });

  it('accept 1 to 1000 shards', () => {
    expect(checkShardCount(1)).toBe(1);
    expect(checkShardCount(STREAM_LIMITS.shardCount.max)).toBe(1000);
    for (const bad of [0, 1001, 2.5]) expect(codeOf(() => checkShardCount(bad))).toBe('INVALID_ARGUMENT');
  });
});

describe('retention changes (Increase/DecreaseStreamRetentionPeriod)', () => {
  it('increase up to 8,760 h and decrease down to 24 h', () => {
    expect(checkRetentionChange(24 * HOUR, 48 * HOUR)).toBe(48 * HOUR);
    expect(checkRetentionChange(48 * HOUR, 24 * HOUR)).toBe(24 * HOUR);
    expect(checkRetentionChange(48 * HOUR, 8760 * HOUR)).toBe(8760 * HOUR);
  });

  it('refuse an increase beyond 8,760 h and a decrease below 24 h', () => {
    expect(() => checkRetentionChange(48 * HOUR, 8761 * HOUR)).toThrow('cannot increase retention to 8761h: the maximum is 8760h');
    expect(() => checkRetentionChange(48 * HOUR, 23 * HOUR)).toThrow('cannot decrease retention to 23h: the minimum is 24h');
  });

  it('treat the current value as a no-op (a documented deviation: Kinesis refuses it)', () => {
    expect(checkRetentionChange(48 * HOUR, 48 * HOUR)).toBe(48 * HOUR);
  });
});

describe('expiry', () => {
  it('expires a record once retention has passed since its arrival', () => {
    const cutoff = retentionCutoff(100 * HOUR, 24 * HOUR);
    expect(isExpired(76 * HOUR, cutoff)).toBe(true);
    expect(isExpired(76 * HOUR + 1, cutoff)).toBe(false);
  });

  it('keeps records trimmed before a retention change hidden after a longer retention', () => {
    expect(retentionCutoff(100 * HOUR, 48 * HOUR, 76 * HOUR)).toBe(76 * HOUR);
    expect(retentionCutoff(200 * HOUR, 48 * HOUR, 76 * HOUR)).toBe(152 * HOUR);
  });
});

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
