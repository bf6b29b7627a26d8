// The rules of a receive and of visibility changes, for any backend.
import { describe, expect, it } from 'vitest';
import { HOUR, defaultQueueAttributes } from '../../src/core/queue-attributes.js';
import { checkReceiveBatch, checkVisibilityChange, receiveSettings } from '../../src/core/receive-rules.js';
import { codeOfSync } from '../helpers/error-codes.js';

describe('receive settings', () => {
  it('take the options given, else the queue\'s visibility timeout and wait, one message by default', () => {
    const attributes = { ...defaultQueueAttributes('jobs'), receiveWaitMs: 2000 };
    expect(receiveSettings(attributes, {})).toEqual({ max: 1, visibilityTimeoutMs: 30_000, deleteOnReceive: false, waitMs: 2000 });
    expect(receiveSettings(attributes, { max: 10_000, visibilityTimeoutMs: 0, waitMs: 0, deleteOnReceive: true }))
      .toEqual({ max: 10_000, visibilityTimeoutMs: 0, deleteOnReceive: true, waitMs: 0 });
  });

  it('refuse a batch outside 1..10,000 and a wait over 20 s', () => {
    for (const max of [0, 10_001, 1.5]) expect([max, codeOfSync(() => checkReceiveBatch(max))]).toEqual([max, 'INVALID_ARGUMENT']);
    expect(codeOfSync(() => receiveSettings(defaultQueueAttributes('jobs'), { waitMs: 20_001 }))).toBe('INVALID_ARGUMENT');
  });
});

describe('visibility changes', () => {
  const inFlight = { deadline: 10_000, receivedAt: 0 };

  it('allow 0 up to 12 h after the receive, from now', () => {
    expect(() => checkVisibilityChange(inFlight, 0, 5000)).not.toThrow();
    expect(() => checkVisibilityChange(inFlight, 12 * HOUR - 5000, 5000)).not.toThrow();
  });

  it('refuse a message no longer in flight (stale), a timeout past the 12 h cap (conflict), and a bad timeout', () => {
    expect(codeOfSync(() => checkVisibilityChange(undefined, 1000, 5000))).toBe('RECEIPT_STALE');
    expect(codeOfSync(() => checkVisibilityChange(inFlight, 1000, 10_000))).toBe('RECEIPT_STALE');
    expect(codeOfSync(() => checkVisibilityChange(inFlight, 12 * HOUR - 4999, 5000))).toBe('CONFLICT');
    expect(codeOfSync(() => checkVisibilityChange(inFlight, -1, 5000))).toBe('INVALID_ARGUMENT');
  });
});
