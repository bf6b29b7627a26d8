// Finding a record by counter or arrival time in O(log n) reads (seek.ts).
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SegmentFile, scanLines } from '../../../src/fs/stream/segment-file.js';
import { seekInSegment, segmentFor } from '../../../src/fs/stream/seek.js';
import { tempHome } from '../../helpers/tmp-home.js';
import { openSegment, segmentLines, writeSegment } from '../../helpers/segments.js';


afterEach(() => {
  vi.restoreAllMocks();
});

describe('seeking inside a segment', () => {
  const varied = segmentLines(3000, { firstCounter: 101, time: (i) => 5000 + Math.floor(i / 3) * 7, data: (i) => (i % 97 === 0 ? 'y'.repeat(40_000) : `r${i}`) });

  function firstAtLeast(key: 'counter' | 't', target: number): number | undefined {
    return varied.find((line) => line[key] >= target)?.counter;
  }

  function counterAt(file: SegmentFile, offset: number): number | undefined {
    let found: number | undefined;
    scanLines(file, offset, file.size, 4096, (decoder, start) => {
      found = decoder.counter(start);
      return false;
    });
    return found;
  }

  it('finds the first line with a counter at or above any target', () => {
    const segment = openSegment(writeSegment(path.join(tempHome(), 'a.ndjson'), varied));
    for (const target of [0, 1, 101, 102, 500, 1234, 2999, 3100, 3101, 5000]) {
      const offset = seekInSegment(segment, segment.size, 'counter', target);
      expect([target, counterAt(segment, offset)]).toEqual([target, firstAtLeast('counter', target)]);
    }
  });

  it('finds the first line that arrived at or after any time, with equal times in a row', () => {
    const segment = openSegment(writeSegment(path.join(tempHome(), 'a.ndjson'), varied));
    for (const target of [0, 5000, 5001, 5007, 5008, 6000, 11_993, 11_994, 12_000]) {
      const offset = seekInSegment(segment, segment.size, 'time', target);
      expect([target, counterAt(segment, offset)]).toEqual([target, firstAtLeast('t', target)]);
    }
  });

  it('reads O(log n) bytes, not the segment: a seek in 300,000 lines (28 MB) reads a small fraction of it', () => {
    const file = writeSegment(path.join(tempHome(), 'big.ndjson'), segmentLines(300_000));
    const segment = openSegment(file);
    const read = vi.spyOn(SegmentFile.prototype, 'read');
    const offset = seekInSegment(segment, segment.size, 'time', 1000 + 123_456);
    expect(counterAt(segment, offset)).toBe(123_457);
    const bytesRead = read.mock.results.slice(0, -1).reduce((sum, r) => sum + (r.value as number), 0);
    expect(segment.size).toBeGreaterThan(25_000_000);
    expect(bytesRead).toBeLessThan(200_000);
  });
});

describe('choosing the segment to search', () => {
  it('picks the last segment whose first key is below the target, else the first', () => {
    const firsts = [1, 100, 200, 300];
    const pick = (target: number) => segmentFor(firsts.length, target, (i) => firsts[i]!);
    expect([0, 1, 2, 100, 101, 200, 299, 301, 10_000].map(pick)).toEqual([0, 0, 0, 0, 1, 1, 2, 3, 3]);
    expect(segmentFor(3, 50, (i) => [10, 20, null][i]!)).toBe(1);
    expect(segmentFor(1, 5, () => null)).toBe(0);
  });
});
