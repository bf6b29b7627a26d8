import { describe, expect, it } from 'vitest';
import {
  applyQueueAttributes, defaultQueueAttributes, newQueueAttributes, DAY, HOUR, MINUTE, SECOND,
} from '../../src/core/queue-attributes.js';

describe('queue attributes', () => {
  it('defaults to what SQS does today', () => {
    const a = defaultQueueAttributes('jobs');
    expect(a).toMatchObject({
      fifo: false, visibilityTimeoutMs: 30 * SECOND, retentionMs: 4 * DAY, delayMs: 0, maxMessageBytes: 1_048_576,
      receiveWaitMs: 0, deadLetter: null,
    });
    expect(defaultQueueAttributes('jobs.fifo').fifo).toBe(true);
  });

  it.each([
    [{ visibilityTimeoutMs: 12 * HOUR + 1 }, /visibility timeout must be between 0s and 12h/],
    [{ delayMs: 15 * MINUTE + 1 }, /delay must be between 0s and 15m/],
    [{ retentionMs: 59 * SECOND }, /retention must be between 1m and 14d/],
    [{ retentionMs: 14 * DAY + 1 }, /retention/],
    [{ maxMessageBytes: 1023 }, /maximum message size must be between 1KiB and 1MiB/],
    [{ maxMessageBytes: 1_048_577 }, /maximum message size/],
    [{ receiveWaitMs: 20 * SECOND + 1 }, /receive wait must be between 0s and 20s/],
    [{ deadLetter: { queue: 'dlq', maxReceives: 0 } }, /max receives must be between 1 and 1000/],
    [{ deadLetter: { queue: 'jobs', maxReceives: 3 } }, /cannot be its own dead-letter queue/],
    [{ contentDedup: true }, /FIFO queues only/],
  ])('rejects %j', (changes, message) => {
    expect(() => newQueueAttributes('jobs', changes)).toThrow(message);
  });

  it('accepts the range limits themselves', () => {
    expect(() => newQueueAttributes('jobs', {
      visibilityTimeoutMs: 12 * HOUR, delayMs: 15 * MINUTE, retentionMs: 60 * SECOND, maxMessageBytes: 1024, receiveWaitMs: 20 * SECOND,
    })).not.toThrow();
  });

  it('requires the .fifo suffix for a FIFO queue and refuses to change the type', () => {
    expect(() => newQueueAttributes('jobs', { fifo: true })).toThrow(/must end in \.fifo/);
    expect(() => newQueueAttributes('jobs.fifo', { fifo: false })).toThrow(/ends in \.fifo/);
    expect(() => applyQueueAttributes('jobs', defaultQueueAttributes('jobs'), { fifo: true })).toThrow(/type cannot change/);
  });

  it('keeps what a change does not mention', () => {
    const current = newQueueAttributes('jobs', { delayMs: 5000 });
    expect(applyQueueAttributes('jobs', current, { visibilityTimeoutMs: 1000 })).toMatchObject({ delayMs: 5000, visibilityTimeoutMs: 1000 });
  });
});
