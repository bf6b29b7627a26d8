// Segment file names: the 20-digit counter of their first record, sorting in record order.
import { describe, expect, it } from 'vitest';
import { formatSegmentName, parseSegmentName, sortedSegments } from '../../../src/fs/stream/segment-names.js';

describe('segment names', () => {
  it('are the 20-digit first counter and sort in counter order', () => {
    expect(formatSegmentName(1)).toBe('00000000000000000001.ndjson');
    expect(parseSegmentName('00000000000000001000.ndjson')).toBe(1000);
    expect(parseSegmentName('lock')).toBeNull();
    expect(parseSegmentName('.00000000000000000001.ndjson.tmp')).toBeNull();
    expect(sortedSegments(['00000000000000000100.ndjson', 'lock', '00000000000000000009.ndjson'])).toEqual([9, 100]);
  });
});
