// The segment files of one shard: which exist (by first counter, oldest first), opening one, and
// reading a segment's first and last record without scanning it.
import { formatShardId } from '../../core/shard-ids.js';
import { ShardLayout, type StreamLayout } from '../layout.js';
import { listDir } from '../fs-util.js';
import { formatSegmentName, sortedSegments } from './segment-names.js';
import { type LineRef, SegmentFile, firstLine, readTail } from './segment-file.js';

export class ShardFiles {
  readonly shardId: string;

  constructor(readonly layout: ShardLayout, readonly index: number) {
    this.shardId = formatShardId(index);
  }

  // The files of shard `index` of a stream.
  static in(stream: StreamLayout, index: number): ShardFiles {
    return new ShardFiles(stream.shard(formatShardId(index)), index);
  }

  // First counters of the segments, oldest first (none for a shard never written, or a removed stream).
  segments(): number[] {
    return sortedSegments(listDir(this.layout.dir));
  }

  // The segments and whether the shard's closed marker is there, from one listing (the append path).
  listing(): { segments: number[]; closed: boolean } {
    const names = listDir(this.layout.dir);
    return { segments: sortedSegments(names), closed: names.includes(ShardLayout.CLOSED) };
  }

  path(first: number): string {
    return this.layout.segment(formatSegmentName(first));
  }

  open(first: number, flags: 'r' | 'r+' = 'r'): SegmentFile | null {
    return SegmentFile.open(this.path(first), flags);
  }

  // The first valid record of a segment (null when it has none, or is gone).
  head(first: number): LineRef | null {
    const file = this.open(first);
    if (!file) return null;
    try {
      return firstLine(file, 0, file.size);
    } finally {
      file.close();
    }
  }

  // The last valid record of a segment (null when it has none, or is gone).
  last(first: number): LineRef | null {
    const file = this.open(first);
    if (!file) return null;
    try {
      return readTail(file).last;
    } finally {
      file.close();
    }
  }

  // The newest record of the shard: its counter (first counter - 1 of an empty last segment, 0 for an
  // empty shard) and its arrival time (0 when no record is left to tell).
  newest(segments = this.segments()): { counter: number; arrivedAt: number } {
    for (let i = segments.length - 1; i >= 0; i--) {
      const last = this.last(segments[i]!);
      if (last) return { counter: i === segments.length - 1 ? last.counter : segments.at(-1)! - 1, arrivedAt: last.arrivedAt };
    }
    return { counter: segments.length > 0 ? segments.at(-1)! - 1 : 0, arrivedAt: 0 };
  }
}
