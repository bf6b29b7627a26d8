import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  bucketEnd, bucketStart, deliveryKey, formatInFlightName, formatReadyName, formatTime, inFlightBucket,
  parseBucketName, parseInFlightName, parseReadyName, readyBucketPath, sentAtOf,
} from '../../../src/fs/queue/message-names.js';
import { createIdFactory } from '../../../src/core/ids.js';

const id = createIdFactory(randomBytes)(Date.UTC(2026, 0, 1));

describe('ready names', () => {
  it('round-trip, with and without a dead-letter source', () => {
    const plain = { visibleAt: 1_767_225_600_123, id, receiveCount: 3, firstReceivedAt: 1_767_225_600_000 };
    expect(parseReadyName(formatReadyName(plain))).toEqual(plain);
    const dead = { ...plain, deadLetterSource: 'orders.fifo' };
    expect(parseReadyName(formatReadyName(dead))).toEqual(dead);
  });

  it('sort by visible time', () => {
    const a = formatReadyName({ visibleAt: 999, id, receiveCount: 0, firstReceivedAt: 0 });
    const b = formatReadyName({ visibleAt: 1000, id, receiveCount: 0, firstReceivedAt: 0 });
    expect([b, a].sort()).toEqual([a, b]);
  });

  it.each([
    'x', '', `${formatTime(1)}.${id}.0`, `${formatTime(1)}.${id}.01.${formatTime(0)}`, `${formatTime(1)}.bad.0.${formatTime(0)}`,
    `${formatTime(1)}.${id}.0.${formatTime(0)}.../x`, `${formatTime(1)}.${id}.0.${formatTime(0)}.a/b`,
    `.${formatTime(1)}.${id}.0.${formatTime(0)}`,
  ])('refuses %j', (text) => {
    expect(parseReadyName(text)).toBeNull();
  });
});

describe('in-flight names', () => {
  const name = { deadline: 1_767_225_630_000, id, receiveCount: 1, firstReceivedAt: 1_767_225_600_000, receivedAt: 1_767_225_600_000, nonce: '0123456789abcdef' };

  it('round-trip', () => {
    expect(parseInFlightName(formatInFlightName(name))).toEqual(name);
    expect(parseInFlightName(formatInFlightName({ ...name, deadLetterSource: 'jobs' }))).toEqual({ ...name, deadLetterSource: 'jobs' });
  });

  it('identify a delivery by id, count and nonce, whatever its deadline', () => {
    expect(deliveryKey({ ...name, deadline: 1 })).toBe(deliveryKey(name));
    expect(deliveryKey({ ...name, nonce: 'fedcba9876543210' })).not.toBe(deliveryKey(name));
    expect(deliveryKey({ ...name, receiveCount: 2 })).not.toBe(deliveryKey(name));
  });

  it('refuse a bad nonce', () => {
    expect(parseInFlightName(formatInFlightName(name).replace('0123456789abcdef', 'XYZ'))).toBeNull();
  });
});

describe('buckets', () => {
  it('nest: each level starts at or before the time and ends after it', () => {
    const t = 1_767_225_600_123;
    const [hi, mid, lo] = readyBucketPath(t).map(Number);
    expect(hi! <= mid! && mid! <= lo! && lo! <= t).toBe(true);
    expect(bucketEnd(lo!, 8)).toBeGreaterThan(t);
    expect(bucketEnd(hi!, 24)).toBeGreaterThan(t);
  });

  it('have names that sort like their times', () => {
    const names = [5, 1e9, 1_767_225_600_123, 4e12].map((t) => formatTime(bucketStart(t, 8)));
    expect([...names].sort()).toEqual(names);
    expect(names.every((n) => parseBucketName(n) !== null)).toBe(true);
  });

  it('put deadlines in 65.5-second in-flight buckets', () => {
    expect(inFlightBucket(65_536)).toBe(formatTime(65_536));
    expect(inFlightBucket(65_535)).toBe(formatTime(0));
  });

  it('ignore foreign directory names', () => {
    expect(parseBucketName('.tmp')).toBeNull();
    expect(parseBucketName('123')).toBeNull();
  });
});

describe('ids', () => {
  it('carry their send time', () => {
    const at = Date.UTC(2026, 4, 5, 6, 7, 8, 9);
    expect(sentAtOf(createIdFactory(randomBytes)(at))).toBe(at);
  });

  it('increase within one process, even within one millisecond', () => {
    const next = createIdFactory(randomBytes);
    const ids = Array.from({ length: 1000 }, () => next(1_767_225_600_000));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(1000);
  });
});
