// How a received batch is split into lanes that run one message after another.
import { describe, expect, it } from 'vitest';
import { lanesOf } from '../../src/workers/lanes.js';
import type { ReceivedMessage } from '../../src/core/queue-types.js';

const item = (id: string, group?: string, sequence?: string) => ({
  message: { id, body: id, attributes: {}, sentAt: 0, receiveCount: 1, firstReceivedAt: 0, ...(group ? { group } : {}), ...(sequence ? { sequence } : {}) } as ReceivedMessage,
});
const ids = (lanes: { message: ReceivedMessage }[][]) => lanes.map((lane) => lane.map((i) => i.message.id));

describe('lanesOf', () => {
  it('gives every standard message its own lane', () => {
    expect(ids(lanesOf([item('a'), item('b'), item('c')], false))).toEqual([['a'], ['b'], ['c']]);
  });

  it('puts each FIFO group in one lane, in sequence order', () => {
    const batch = [item('a2', 'A', '00000000000000000002'), item('b1', 'B', '00000000000000000003'), item('a1', 'A', '00000000000000000001'), item('a3', 'A', '00000000000000000010')];
    expect(ids(lanesOf(batch, true))).toEqual([['a1', 'a2', 'a3'], ['b1']]);
  });
});
