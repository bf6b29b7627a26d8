// One segment file: its last valid line (the tail a writer repairs) and the scan over its lines.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SegmentFile, readTail, scanLines } from '../../../src/fs/stream/segment-file.js';
import { tempHome } from '../../helpers/tmp-home.js';
import { openSegment, segmentBytes, segmentLines, writeSegment } from '../../helpers/segments.js';


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

describe('reading the tail of a segment', () => {
  const dir = () => tempHome();

  it('finds the last record and the end of the complete lines', () => {
    const file = writeSegment(path.join(dir(), 'a.ndjson'), segmentLines(50));
    const tail = readTail(openSegment(file));
    expect(tail.end).toBe(fs.statSync(file).size);
    expect(tail.last).toMatchObject({ counter: 50, arrivedAt: 1049 });
  });

  it('leaves out a torn last line (no newline) and a damaged complete last line', () => {
    const file = path.join(dir(), 'a.ndjson');
    const good = segmentBytes(segmentLines(3));
    const torn = segmentBytes([{ counter: 4, t: 2000, data: 'torn record' }]).subarray(0, 30);
    fs.writeFileSync(file, Buffer.concat([good, torn]));
    expect(readTail(openSegment(file))).toMatchObject({ end: good.length, last: { counter: 3 } });

    const damaged = Buffer.from(segmentBytes([{ counter: 4, t: 2000, data: 'damaged' }]));
    damaged[50] = damaged[50]! ^ 1;
    fs.writeFileSync(file, Buffer.concat([good, damaged, torn]));
    expect(readTail(openSegment(file))).toMatchObject({ end: good.length, last: { counter: 3 } });
  });

  it('handles an empty file, a file that is all torn, and last lines longer than its read window', () => {
    const base = dir();
    expect(readTail(openSegment(writeSegment(path.join(base, 'empty.ndjson'), [])))).toEqual({ end: 0, last: null });
    fs.writeFileSync(path.join(base, 'torn.ndjson'), '{"s":"1000');
    expect(readTail(openSegment(path.join(base, 'torn.ndjson')))).toEqual({ end: 0, last: null });
    const long = writeSegment(path.join(base, 'long.ndjson'), segmentLines(3, { data: (i) => String(i).repeat(300_000) }));
    expect(readTail(openSegment(long))).toMatchObject({ end: fs.statSync(long).size, last: { counter: 3 } });
    fs.appendFileSync(long, 'x'.repeat(200_000));
    expect(readTail(openSegment(long))).toMatchObject({ last: { counter: 3 } });
  });
});

describe('scanning lines', () => {
  it('skips a damaged line in the middle and stops before a partial last line', () => {
    const file = path.join(tempHome(), 'a.ndjson');
    const parts = segmentLines(5).map((line) => segmentBytes([line]));
    parts[2]![40] = parts[2]![40]! ^ 4;
    fs.writeFileSync(file, Buffer.concat([...parts, parts[0]!.subarray(0, 20)]));
    const segment = openSegment(file);
    expect(scannedCounters(segment)).toEqual([1, 2, 4, 5]);
    const stop = scanLines(segment, 0, segment.size, 64, () => true);
    expect(stop).toEqual({ at: segment.size - 20, after: segment.size - 20, stopped: false });
  });

  it('reads lines longer than its chunk by growing the chunk', () => {
    const file = writeSegment(path.join(tempHome(), 'a.ndjson'), segmentLines(6, { data: (i) => 'x'.repeat(i * 1000) }));
    expect(scannedCounters(openSegment(file), 256)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
