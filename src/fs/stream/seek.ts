// Finding a record by sequence number or by arrival time in O(log n) reads: a binary search over the
// segment names (by first counter) or over the segments' first lines (by time), then a binary search over
// byte offsets inside the segment: jump to the middle, skip to the next line start, read that line's key,
// halve; a short linear scan finishes. Keys never decrease along a shard, so every step is sound.
import type { LineDecoder } from './line-decoder.js';
import { type SegmentFile, firstLine, nextLineStart, scanLines } from './segment-file.js';

// Below this many bytes a linear scan is cheaper than more probes.
const LINEAR_BYTES = 32 * 1024;

export type SeekKey = 'counter' | 'time';

function keyOf(decoder: LineDecoder, start: number, key: SeekKey): number {
  return key === 'counter' ? decoder.counter(start) : decoder.arrivedAt(start);
}

// The offset of the first valid line of [0, end) whose key is >= target, or `end` when there is none.
export function seekInSegment(file: SegmentFile, end: number, key: SeekKey, target: number): number {
  let lo = 0;
  let hi = end;
  while (hi - lo > LINEAR_BYTES) {
    const mid = lo + Math.floor((hi - lo) / 2);
    const start = nextLineStart(file, mid, hi);
    const probe = start === null ? null : firstLine(file, start, hi);
    if (!probe || probe.start >= hi) {
      hi = mid;
      continue;
    }
    const probeKey = key === 'counter' ? probe.counter : probe.arrivedAt;
    if (probeKey < target) lo = probe.after;
    else hi = probe.start;
  }
  return scanLines(file, lo, end, LINEAR_BYTES * 2, (decoder, start) => keyOf(decoder, start, key) < target).at;
}

// The index of the segment to search for the first record with key >= target: the last segment whose
// first key is below the target (the record is in it, or is the next segment's first), else the first.
// `firstKeyOf` reads a segment's first key (null for an empty segment, which can only be the last).
export function segmentFor(count: number, target: number, firstKeyOf: (index: number) => number | null): number {
  let lo = 0;
  let hi = count - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    const first = firstKeyOf(mid);
    if (first !== null && first < target) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
