import { describe, expect, it } from 'vitest';
import { isFifoQueueName, validateQueueName, validateStreamName } from '../../src/core/names.js';
import { isMqError } from '../../src/core/errors.js';

function rejects(fn: () => unknown): boolean {
  try {
    fn();
    return false;
  } catch (error) {
    return isMqError(error, 'INVALID_NAME');
  }
}

describe('queue names', () => {
  it.each(['jobs', 'a', 'A-b_9', 'x'.repeat(80), 'orders.fifo', `${'x'.repeat(75)}.fifo`])('accepts %s', (name) => {
    expect(validateQueueName(name)).toBe(name);
  });

  it.each([
    '', '../x', 'a/b', '.', '..', 'x'.repeat(81), `${'x'.repeat(76)}.fifo`, 'has space', 'dot.name', '.fifo',
    'jobs.FIFO', 'tab\tname', 'nul\0', 'ünïcode', 'a.fifo.fifo', 'x;rm',
  ])('rejects %j', (name) => {
    expect(rejects(() => validateQueueName(name))).toBe(true);
  });

  it('tells FIFO names by their suffix', () => {
    expect(isFifoQueueName('a.fifo')).toBe(true);
    expect(isFifoQueueName('a')).toBe(false);
  });
});

describe('stream names', () => {
  it.each(['events', 'app.log', 'a-b_c.d', 'x'.repeat(128)])('accepts %s', (name) => {
    expect(validateStreamName(name)).toBe(name);
  });

  it.each(['', '.', '..', 'a/b', '../x', 'x'.repeat(129), 'white space', 'a\\b'])('rejects %j', (name) => {
    expect(rejects(() => validateStreamName(name))).toBe(true);
  });
});
