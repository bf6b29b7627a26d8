import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SegmentFile, readTail, scanLines } from '../../src/fs/stream/segment-file.js';
import { seekInSegment, segmentFor } from '../../src/fs/stream/seek.js';
import { formatSegmentName, parseSegmentName, sortedSegments } from '../../src/fs/stream/segment-names.js';
import { tempHome } from '../helpers/tmp-home.js';
import { type SegmentLine, segmentBytes, writeSegment } from '../helpers/segments.js';

function open(file: string): SegmentFile {
  return SegmentFile.open(file)!;
}

function lines(count: number, options: { firstCounter?: number; time?: (i: number) => number; data?: (i: number) => string } = {}): SegmentLine[] {
  return Array.from({ length: count }, (_, i) => ({
    counter: (options.firstCounter ?? 1) + i,
    t: options.time ? options.time(i) : 1000 + i,
    data: options.data ? options.data(i) : `record ${i}`,
  }));
}

// Every valid line's counter, as a full scan sees it.
function scannedCounters(file: SegmentFile, chunkBytes = 4096): number[] {
  const counters: number[] = [];
  scanLines(file, 0, file.size, chunkBytes, (decoder, start) => {
    counters.push(decoder.counter(start));
    return true;
  });
  return counters;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('segment names', () => {
  it('are the 20-digit first counter and sort in counter order', () => {
    expect(formatSegmentName(1)).toBe('00000000000000000001.ndjson');
    expect(parseSegmentName('00000000000000001000.ndjson')).toBe(1000);
    expect(parseSegmentName('lock')).toBeNull();
    expect(parseSegmentName('.00000000000000000001.ndjson.tmp')).toBeNull();
    expect(sortedSegments(['00000000000000000100.ndjson', 'lock', '00000000000000000009.ndjson'])).toEqual([9, 100]);
  });
});

describe('reading the tail of a segment', () => {
  const dir = () => tempHome();

  it('finds the last record and the end of the complete lines', () => {
    const file = writeSegment(path.join(dir(), 'a.ndjson'), lines(50));
    const tail = readTail(open(file));
    expect(tail.end).toBe(fs.statSync(file).size);
    expect(tail.last).toMatchObject({ counter: 50, arrivedAt: 1049 });
  });

  it('leaves out a torn last line (no newline) and a damaged complete last line', () => {
    const file = path.join(dir(), 'a.ndjson');
    const good = segmentBytes(lines(3));
    const torn = segmentBytes([{ counter: 4, t: 2000, data: 'torn record' }]).subarray(0, 30);
    fs.writeFileSync(file, Buffer.concat([good, torn]));
    expect(readTail(open(file))).toMatchObject({ end: good.length, last: { counter: 3 } });

    const damaged = Buffer.from(segmentBytes([{ counter: 4, t: 2000, data: 'damaged' }]));
    damaged[50] = damaged[50]! ^ 1;
    fs.writeFileSync(file, Buffer.concat([good, damaged, torn]));
    expect(readTail(open(file))).toMatchObject({ end: good.length, last: { counter: 3 } });
  });

  it('handles an empty file, a file that is all torn, and last lines longer than its read window', () => {
    const base = dir();
    expect(readTail(open(writeSegment(path.join(base, 'empty.ndjson'), [])))).toEqual({ end: 0, last: null });
    fs.writeFileSync(path.join(base, 'torn.ndjson'), '{"s":"1000');
    expect(readTail(open(path.join(base, 'torn.ndjson')))).toEqual({ end: 0, last: null });
    const long = writeSegment(path.join(base, 'long.ndjson'), lines(3, { data: (i) => String(i).repeat(300_000) }));
    expect(readTail(open(long))).toMatchObject({ end: fs.statSync(long).size, last: { counter: 3 } });
    fs.appendFileSync(long, 'x'.repeat(200_000));
    expect(readTail(open(long))).toMatchObject({ last: { counter: 3 } });
  });
});

describe('scanning lines', () => {
  it('skips a damaged line in the middle and stops before a partial last line', () => {
    const file = path.join(tempHome(), 'a.ndjson');
    const parts = lines(5).map((line) => segmentBytes([line]));
    parts[2]![40] = parts[2]![40]! ^ 4;
    fs.writeFileSync(file, Buffer.concat([...parts, parts[0]!.subarray(0, 20)]));
    const segment = open(file);
    expect(scannedCounters(segment)).toEqual([1, 2, 4, 5]);
    const stop = scanLines(segment, 0, segment.size, 64, () => true);
    expect(stop).toEqual({ at: segment.size - 20, after: segment.size - 20, stopped: false });
  });

  it('reads lines longer than its chunk by growing the chunk', () => {
    const file = writeSegment(path.join(tempHome(), 'a.ndjson'), lines(6, { data: (i) => 'x'.repeat(i * 1000) }));
    expect(scannedCounters(open(file), 256)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('seeking inside a segment', () => {
  const varied = lines(3000, { firstCounter: 101, time: (i) => 5000 + Math.floor(i / 3) * 7, data: (i) => (i % 97 === 0 ? 'y'.repeat(40_000) : `r${i}`) });

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
    const segment = open(writeSegment(path.join(tempHome(), 'a.ndjson'), varied));
    for (const target of [0, 1, 101, 102, 500, 1234, 2999, 3100, 3101, 5000]) {
      const offset = seekInSegment(segment, segment.size, 'counter', target);
      expect([target, counterAt(segment, offset)]).toEqual([target, firstAtLeast('counter', target)]);
    }
  });

  it('finds the first line that arrived at or after any time, with equal times in a row', () => {
    const segment = open(writeSegment(path.join(tempHome(), 'a.ndjson'), varied));
    for (const target of [0, 5000, 5001, 5007, 5008, 6000, 11_993, 11_994, 12_000]) {
      const offset = seekInSegment(segment, segment.size, 'time', target);
      expect([target, counterAt(segment, offset)]).toEqual([target, firstAtLeast('t', target)]);
    }
  });

  it('reads O(log n) bytes, not the segment: a seek in 300,000 lines (28 MB) reads a small fraction of it', () => {
    const file = writeSegment(path.join(tempHome(), 'big.ndjson'), lines(300_000));
    const segment = open(file);
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
