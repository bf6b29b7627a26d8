// Retention of whole segments, decided here (pure) and applied by the janitor: a segment goes once its
// last record has expired, except the newest segment, which is kept so the shard's next sequence number
// can always be read from it. A writer starts a new segment when the current one is full, or when
// everything in it has expired, so that the old one can go.

export interface SegmentAge {
  first: number;
  // Arrival time of its last valid record; null when it holds none.
  lastArrivedAt: number | null;
}

// The segments to delete, oldest first: the expired prefix, never the newest segment.
export function expiredSegments(segments: SegmentAge[], cutoff: number): number[] {
  const doomed: number[] = [];
  for (const segment of segments.slice(0, -1)) {
    if (segment.lastArrivedAt === null || segment.lastArrivedAt > cutoff) break;
    doomed.push(segment.first);
  }
  return doomed;
}

// Whether a writer about to append to a segment of `size` bytes should start a new one first.
export function shouldRoll(size: number, segmentBytes: number, lastArrivedAt: number | null, cutoff: number): boolean {
  if (size === 0) return false;
  return size >= segmentBytes || (lastArrivedAt !== null && lastArrivedAt <= cutoff);
}
