// The retry delay of a failed message: plain, with backoff, capped, and inside the 12 h in-flight cap.
import { describe, expect, it } from 'vitest';
import { HOUR, MINUTE, SECOND } from '../../src/core/queue-attributes.js';
import { IN_FLIGHT_MARGIN_MS, retryDelayMs } from '../../src/workers/retry.js';

describe('retryDelayMs', () => {
  const plain = { delayMs: 30 * SECOND, backoff: false, maxDelayMs: 15 * MINUTE };
  const backoff = { ...plain, backoff: true };

  it('is the retry delay whatever the receive count without backoff', () => {
    expect([1, 2, 10].map((n) => retryDelayMs(plain, n, 0))).toEqual([30 * SECOND, 30 * SECOND, 30 * SECOND]);
  });

  it('doubles per earlier delivery with backoff, up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 1000].map((n) => retryDelayMs(backoff, n, 0) / SECOND)).toEqual([30, 60, 120, 240, 480, 900, 900]);
  });

  it('never cuts the delay itself below --retry-delay, even above the cap', () => {
    expect(retryDelayMs({ delayMs: HOUR, backoff: true, maxDelayMs: 15 * MINUTE }, 3, 0)).toBe(HOUR);
  });

  it('stays at zero when the delay is zero', () => {
    expect(retryDelayMs({ ...backoff, delayMs: 0 }, 5, 0)).toBe(0);
  });

  it('keeps the message inside the 12 hours it may stay in flight', () => {
    const long = { delayMs: 6 * HOUR, backoff: false, maxDelayMs: 0 };
    expect(retryDelayMs(long, 1, 8 * HOUR)).toBe(4 * HOUR - IN_FLIGHT_MARGIN_MS);
    expect(retryDelayMs(long, 1, 12 * HOUR)).toBe(0);
  });
});
