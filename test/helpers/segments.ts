// Writes segment files by hand for the file-store tests: records with chosen counters, times and data.
import fs from 'node:fs';
import path from 'node:path';
import { LineWriter } from '../../src/fs/stream/line-writer.js';
import { SegmentFile } from '../../src/fs/stream/segment-file.js';

export interface SegmentLine {
  counter: number;
  t: number;
  data?: string;
  key?: string;
}

export function segmentBytes(lines: SegmentLine[], shardIndex = 0): Buffer {
  const writer = new LineWriter(shardIndex);
  for (const line of lines) writer.append(line.counter, line.t, JSON.stringify(line.key ?? 'k'), line.data ?? `r${line.counter}`);
  return Buffer.from(writer.bytes);
}

export function writeSegment(file: string, lines: SegmentLine[], shardIndex = 0): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, segmentBytes(lines, shardIndex));
  return file;
}

// `count` lines with consecutive counters from `firstCounter` (1), times from 1000 on, or as chosen.
export function segmentLines(count: number, options: { firstCounter?: number; time?: (i: number) => number; data?: (i: number) => string } = {}): SegmentLine[] {
  return Array.from({ length: count }, (_, i) => ({
    counter: (options.firstCounter ?? 1) + i,
    t: options.time ? options.time(i) : 1000 + i,
    data: options.data ? options.data(i) : `record ${i}`,
  }));
}

// A segment file that exists, opened for reading.
export function openSegment(file: string): SegmentFile {
  return SegmentFile.open(file)!;
}
