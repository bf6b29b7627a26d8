// What a queue directory holds at rest, read from the file names alone (message-names.ts grammar): each
// message's id and whether it is ready or in flight. Used after recovery to find a message in two places.
// A delivery whose deadline has passed counts as ready, as the semantics have it: a FIFO group's expired
// deliveries are renamed back into ready/ only by the next receive that visits the group.
import fs from 'node:fs';
import path from 'node:path';
import { parseInFlightName, parseReadyName } from '../../../src/fs/queue/message-names.js';
import { parseFifoInFlightName, parseFifoReadyName } from '../../../src/fs/queue/fifo/fifo-names.js';
import type { RestingMessage } from './queue-checks.js';

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((file) => fs.lstatSync(path.join(dir, file)).isFile());
}

export function restingMessages(home: string, queue: string, now = Date.now()): RestingMessage[] {
  const dir = path.join(home, 'queues', queue);
  const found: RestingMessage[] = [];
  for (const file of filesUnder(path.join(dir, 'ready'))) {
    const name = parseReadyName(path.basename(file));
    if (name) found.push({ queue, state: 'ready', id: name.id });
  }
  for (const file of filesUnder(path.join(dir, 'inflight'))) {
    const name = parseInFlightName(path.basename(file));
    if (name) found.push({ queue, state: name.deadline > now ? 'inFlight' : 'ready', id: name.id });
  }
  for (const file of filesUnder(path.join(dir, 'groups'))) {
    const base = path.basename(file);
    const ready = parseFifoReadyName(base);
    if (ready) found.push({ queue, state: 'ready', id: ready.id });
    const inFlight = parseFifoInFlightName(base);
    if (inFlight) found.push({ queue, state: inFlight.deadline > now ? 'inFlight' : 'ready', id: inFlight.id });
  }
  return found;
}

// Staging files left behind by killed senders (swept after an hour; never visible to receivers).
export function leftoverTemp(home: string, queue: string): number {
  return filesUnder(path.join(home, 'queues', queue, 'tmp')).length;
}
