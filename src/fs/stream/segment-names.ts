// Segment file names: the 20-digit counter of the segment's first record plus ".ndjson", so that the
// names sort in record order and `ls` of a shard lists its history.
const SEGMENT_NAME = /^(\d{20})\.ndjson$/;

export function formatSegmentName(firstCounter: number): string {
  return `${String(firstCounter).padStart(20, '0')}.ndjson`;
}

// The first counter of a segment, or null for a name that is not a segment (the lock, temp files).
export function parseSegmentName(name: string): number | null {
  const match = SEGMENT_NAME.exec(name);
  if (!match) return null;
  const counter = Number(match[1]);
  return Number.isSafeInteger(counter) ? counter : null;
}

// The segments among directory entries, by first counter, oldest first.
export function sortedSegments(names: string[]): number[] {
  const counters: number[] = [];
  for (const name of names) {
    const counter = parseSegmentName(name);
    if (counter !== null) counters.push(counter);
  }
  return counters.sort((a, b) => a - b);
}
