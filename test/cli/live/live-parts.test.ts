// The pure parts of the live view: sparklines, rates from successive samples, ages and columns.
import { describe, expect, it } from 'vitest';
import { sparkline } from '../../../src/cli/live/sparkline.js';
import { QueueHistory } from '../../../src/cli/live/queue-history.js';
import { alignColumns, fitWidth, formatAge, logfmt } from '../../../src/cli/live/live-format.js';
import type { QueueStats } from '../../../src/core/queue-types.js';
import { defaultQueueAttributes } from '../../../src/core/queue-attributes.js';

const stats = (name: string, visible: number, inFlight = 0, delayed = 0): QueueStats => ({
  name, attributes: defaultQueueAttributes(name), visible, inFlight, delayed, oldestSentAt: null, receiveCounts: {},
  deadLetter: null, deadLetterSources: [], damaged: 0,
});

describe('sparkline', () => {
  it('scales to the largest value', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 20)).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([0, 0, 0], 20)).toBe('▁▁▁');
    expect(sparkline([], 20)).toBe('');
  });

  it('squeezes a long series into the width, keeping spikes', () => {
    const line = sparkline([...Array(59).fill(1), 100], 10);
    expect([...line]).toHaveLength(10);
    expect(line.endsWith('█')).toBe(true);
    expect(line.startsWith('▁')).toBe(true);
  });
});

describe('QueueHistory', () => {
  it('derives in and out rates from the stored count of successive samples, over the last five seconds', () => {
    const history = new QueueHistory();
    const t0 = 1_000_000;
    expect(history.observe(stats('jobs', 10), t0)).toMatchObject({ inPerSecond: null, outPerSecond: null, visibleHistory: [10] });
    expect(history.observe(stats('jobs', 15, 5), t0 + 1000)).toMatchObject({ stored: 20, inPerSecond: 10, outPerSecond: 0 });
    expect(history.observe(stats('jobs', 2, 1, 2), t0 + 2000)).toMatchObject({ inPerSecond: 0, outPerSecond: 2.5 });
    // Beyond the window, the older samples no longer count.
    expect(history.observe(stats('jobs', 5), t0 + 8000)).toMatchObject({ inPerSecond: 0, outPerSecond: 0 });
    expect(history.observe(stats('jobs', 5), t0 + 8000 + 500).visibleHistory).toEqual([10, 15, 2, 5, 5]);
  });

  it('keeps one minute of history and forgets removed queues', () => {
    const history = new QueueHistory();
    for (let s = 0; s <= 90; s++) history.observe(stats('jobs', s), s * 1000);
    expect(history.observe(stats('jobs', 91), 91_000).visibleHistory).toHaveLength(60);
    history.keepOnly(new Set());
    expect(history.observe(stats('jobs', 1), 92_000).visibleHistory).toEqual([1]);
  });
});

describe('live formatting', () => {
  it('formats ages compactly', () => {
    expect([null, 0, 59, 61, 3599, 3600 * 5 + 60 * 7, 86_400 * 2 + 3600 * 3].map(formatAge)).toEqual(['-', '0s', '59s', '1m01s', '59m59s', '5h07m', '2d03h']);
  });

  it('aligns columns, numbers to the right, and cuts lines to a width', () => {
    expect(alignColumns([['NAME', 'N', 'SPARK'], ['jobs', '12', '▁█']], new Set([1]))).toEqual(['NAME   N  SPARK', 'jobs  12  ▁█']);
    expect(fitWidth('▁▂▃▄', 2)).toBe('▁▂');
  });

  it('writes logfmt with quoting where needed', () => {
    expect(logfmt({ a: 1, b: null, c: 'x y', d: undefined })).toBe('a=1 b=- c="x y"');
  });
});
