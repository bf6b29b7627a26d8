// How queue stats print: a count of damaged messages in backend-neutral words.
import { describe, expect, it } from 'vitest';
import { statsText } from '../../src/cli/commands/format.js';
import { defaultQueueAttributes } from '../../src/core/queue-attributes.js';
import type { QueueStats } from '../../src/core/queue-types.js';

const stats = (damaged: number): QueueStats => ({
  name: 'jobs', attributes: defaultQueueAttributes('jobs'), visible: 1, inFlight: 0, delayed: 0, oldestSentAt: null,
  receiveCounts: {}, deadLetter: null, deadLetterSources: [], damaged,
});

describe('statsText', () => {
  it('shows damaged messages set aside without naming where a backend keeps them', () => {
    const line = statsText(stats(3), 0).find((row) => row.startsWith('damaged:'));
    expect(line).toMatch(/^damaged:\s+3 unreadable messages set aside, never delivered$/);
  });

  it('leaves the line out when nothing is damaged', () => {
    expect(statsText(stats(0), 0).some((row) => row.startsWith('damaged:'))).toBe(false);
  });
});
