import { describe, expect, it } from 'vitest';
import { expiredSegments, shouldRoll } from '../../../src/fs/stream/segment-retention.js';

describe('segment retention decisions', () => {
  it('drop the prefix of segments whose last record expired, never the newest segment', () => {
    const segments = [
      { first: 1, lastArrivedAt: 10 }, { first: 50, lastArrivedAt: 20 }, { first: 90, lastArrivedAt: 30 }, { first: 120, lastArrivedAt: 40 },
    ];
    expect(expiredSegments(segments, 5)).toEqual([]);
    expect(expiredSegments(segments, 10)).toEqual([1]);
    expect(expiredSegments(segments, 25)).toEqual([1, 50]);
    expect(expiredSegments(segments, 1000)).toEqual([1, 50, 90]);
  });

  it('stop at a segment that holds no readable record, and keep a lone segment', () => {
    expect(expiredSegments([{ first: 1, lastArrivedAt: null }, { first: 5, lastArrivedAt: 1 }, { first: 9, lastArrivedAt: 1 }], 100)).toEqual([]);
    expect(expiredSegments([{ first: 1, lastArrivedAt: 1 }], 100)).toEqual([]);
  });

  it('roll to a new segment when the current one is full or wholly expired, never an empty one', () => {
    expect(shouldRoll(0, 100, null, 50)).toBe(false);
    expect(shouldRoll(0, 100, 10, 50)).toBe(false);
    expect(shouldRoll(99, 100, 60, 50)).toBe(false);
    expect(shouldRoll(100, 100, 60, 50)).toBe(true);
    expect(shouldRoll(10, 100, 50, 50)).toBe(true);
  });
});
