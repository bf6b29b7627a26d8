// Rates and sparkline values from successive samples (what mq top and the web console show).
import { describe, expect, it } from 'vitest';
import { SampleHistory } from '../../src/core/sample-history.js';

describe('a sample history', () => {
  it('derives a rate from the running total over the last seconds and keeps a minute of values', () => {
    const history = new SampleHistory();
    expect(history.observe('q', 0, 1, 10).perSecond).toBeNull();
    history.observe('q', 1000, 2, 20);
    expect(history.observe('q', 2000, 3, 40)).toEqual({ plot: [1, 2, 3], perSecond: 15 });
    // The window is 5 s: only samples within it count.
    expect(history.observe('q', 7000, 4, 40).perSecond).toBe(0);
    expect(history.observe('q', 62_000, 5, 30).plot).toEqual([4, 5]);
  });

  it('forgets the keys not seen in the last round', () => {
    const history = new SampleHistory();
    history.observe('a', 0, 1, 1);
    history.observe('b', 0, 1, 1);
    history.keepOnly(new Set(['a']));
    expect(history.observe('a', 1000, 2, 3)).toEqual({ plot: [1, 2], perSecond: 2 });
    expect(history.observe('b', 1000, 2, 3)).toEqual({ plot: [2], perSecond: null });
  });
});
