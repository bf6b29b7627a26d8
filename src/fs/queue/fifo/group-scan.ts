// Reading one FIFO group directory: its ready and in-flight messages in sequence order, with expired
// in-flight ones returned to ready first. A group with a message still in flight is busy: nothing of it
// may be delivered until that message is deleted or its visibility timeout expires.
import path from 'node:path';
import { listDir, moveFile, removeDirIfEmpty } from '../../fs-util.js';
import type { QueueContext } from '../queue-context.js';
import {
  type FifoInFlightName, type FifoReadyName, formatFifoReadyName, parseFifoInFlightName, parseFifoReadyName,
  parseGroupDirName,
} from './fifo-names.js';

export interface GroupEntry<T> {
  file: string;
  name: T;
}

export interface GroupScan {
  group: string;
  groupDir: string;
  ready: GroupEntry<FifoReadyName>[];
  inFlight: GroupEntry<FifoInFlightName>[];
  // The earliest deadline of a message still in flight, if any.
  busyUntil: number | null;
}

// Every group directory of the queue, as [directory name, group id].
export function listGroups(ctx: QueueContext): [string, string][] {
  const groups: [string, string][] = [];
  for (const dir of listDir(ctx.layout.groups)) {
    const group = parseGroupDirName(dir);
    if (group !== null) groups.push([dir, group]);
  }
  return groups;
}

export function scanGroup(ctx: QueueContext, groupDir: string, group: string, now: number): GroupScan | null {
  const dir = path.join(ctx.layout.groups, groupDir);
  const files = listDir(dir);
  if (files.length === 0) {
    removeDirIfEmpty(dir);
    return null;
  }
  const scan: GroupScan = { group, groupDir, ready: [], inFlight: [], busyUntil: null };
  for (const file of files.sort()) {
    const ready = parseFifoReadyName(file);
    if (ready) {
      scan.ready.push({ file: path.join(dir, file), name: ready });
      continue;
    }
    const inFlight = parseFifoInFlightName(file);
    if (!inFlight) continue;
    if (inFlight.deadline > now) {
      scan.inFlight.push({ file: path.join(dir, file), name: inFlight });
      scan.busyUntil = Math.min(scan.busyUntil ?? inFlight.deadline, inFlight.deadline);
      continue;
    }
    // Expired: back to ready with its count kept. Losing the race means the group just changed: busy.
    const { deadline: _deadline, receivedAt: _receivedAt, nonce: _nonce, ...kept } = inFlight;
    const target = path.join(dir, formatFifoReadyName(kept));
    if (moveFile(path.join(dir, file), target, () => {})) scan.ready.push({ file: target, name: kept });
    else scan.busyUntil = now;
  }
  scan.ready.sort((a, b) => (a.name.sequence < b.name.sequence ? -1 : 1));
  return scan;
}

export function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
