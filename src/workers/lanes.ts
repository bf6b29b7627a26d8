// Splits a received batch into lanes, each run one message after another: on a standard queue every
// message is its own lane (they may all run at once); on a FIFO queue a lane is one message group in
// sequence order, so a group's messages never run concurrently or out of order.
import type { ReceivedMessage } from '../core/queue-types.js';

export function lanesOf<T extends { message: ReceivedMessage }>(items: T[], fifo: boolean): T[][] {
  if (!fifo) return items.map((item) => [item]);
  const byGroup = new Map<string, T[]>();
  for (const item of items) {
    const group = item.message.group ?? '';
    const lane = byGroup.get(group);
    if (lane) lane.push(item);
    else byGroup.set(group, [item]);
  }
  // The store hands a group's messages out in sequence order; sorting keeps that even if it did not.
  for (const lane of byGroup.values()) lane.sort((a, b) => compareSequence(a.message.sequence, b.message.sequence));
  return [...byGroup.values()];
}

// Sequence numbers are fixed-width decimal strings, so string order is numeric order.
function compareSequence(a: string | undefined, b: string | undefined): number {
  if (a === undefined || b === undefined || a === b) return 0;
  return a.length - b.length || (a < b ? -1 : 1);
}
