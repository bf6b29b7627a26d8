// Standard messages in flight: returning expired ones to ready/ (lazily, by whichever command looks
// first), and finding the file of a delivery from its receipt for ack and visibility changes. Every step
// is one rename or unlink; losing a race to another process shows as ENOENT and is a normal outcome.
import fs from 'node:fs';
import path from 'node:path';
import { isMqError } from '../../../core/errors.js';
import type { AckOutcome, Receipt } from '../../../core/queue-types.js';
import { listDir, moveFile, removeDirIfEmpty, unlinkIfExists } from '../../fs-util.js';
import {
  IN_FLIGHT_BUCKET_SHIFT, type InFlightName, bucketEnd, deliveryKey, formatInFlightName, inFlightBucket,
  parseInFlightName,
} from '../message-names.js';
import { type QueueContext, ensureSubdirs } from '../queue-context.js';
import { decodeReceipt, encodeReceipt } from '../receipt.js';
import { checkVisibilityChange, staleReceipt } from '../../../core/receive-rules.js';
import { sortedBuckets } from './ready-walk.js';
import { placeReady } from './send.js';
import { ring } from '../../doorbell.js';

const EMPTY_BUCKET_GRACE_MS = 60_000;

export interface InFlightEntry {
  file: string;
  name: InFlightName;
}

// Calls `visit` for every in-flight message in buckets starting at or before `horizon`, oldest first;
// returns the start of the first bucket beyond the horizon, if any.
export function forEachInFlight(ctx: QueueContext, horizon: number, visit: (entry: InFlightEntry) => void): number | null {
  for (const { name: bucket, start } of sortedBuckets(ctx.layout.inflight)) {
    if (start > horizon) return start;
    const dir = path.join(ctx.layout.inflight, bucket);
    const names = listDir(dir);
    if (names.length === 0 && bucketEnd(start, IN_FLIGHT_BUCKET_SHIFT) < ctx.env.clock.now() - EMPTY_BUCKET_GRACE_MS) {
      removeDirIfEmpty(dir);
    }
    for (const file of names) {
      const name = parseInFlightName(file);
      if (name) visit({ file: path.join(dir, file), name });
    }
  }
  return null;
}

// Returns every expired in-flight message to ready/ with its receive count kept; answers the earliest
// deadline still ahead (when a waiting receive should look again), or null when none is known.
export function reapExpired(ctx: QueueContext, now: number): number | null {
  let nextDeadline: number | null = null;
  let returned = false;
  const nextBucket = forEachInFlight(ctx, now, ({ file, name }) => {
    if (name.deadline > now) {
      nextDeadline = Math.min(nextDeadline ?? name.deadline, name.deadline);
      return;
    }
    returned = makeVisible(ctx, file, name, name.deadline) || returned;
  });
  if (returned) ring(ctx.layout.notify);
  if (nextBucket !== null) nextDeadline = Math.min(nextDeadline ?? nextBucket, nextBucket);
  return nextDeadline;
}

function makeVisible(ctx: QueueContext, file: string, name: InFlightName, visibleAt: number): boolean {
  const { id, receiveCount, firstReceivedAt, deadLetterSource } = name;
  return placeReady(ctx, file, { visibleAt, id, receiveCount, firstReceivedAt, ...(deadLetterSource ? { deadLetterSource } : {}) });
}

export function inFlightPath(ctx: QueueContext, name: InFlightName): string {
  return path.join(ctx.layout.inflight, inFlightBucket(name.deadline), formatInFlightName(name));
}

// Finds the current file of a delivery whose deadline may have changed since its receipt was issued.
class DeliveryIndex {
  private byKey: Map<string, InFlightEntry> | null = null;

  constructor(private readonly ctx: QueueContext) {}

  find(name: InFlightName): InFlightEntry | undefined {
    if (!this.byKey) {
      this.byKey = new Map();
      forEachInFlight(this.ctx, Number.POSITIVE_INFINITY, (entry) => this.byKey!.set(deliveryKey(entry.name), entry));
    }
    return this.byKey.get(deliveryKey(name));
  }
}

export function ackStandard(ctx: QueueContext, receipts: Receipt[]): AckOutcome[] {
  const index = new DeliveryIndex(ctx);
  return receipts.map((receipt) => {
    try {
      const name = decodeReceipt(ctx.name, receipt, parseInFlightName);
      if (unlinkIfExists(inFlightPath(ctx, name))) return { receipt, ok: true };
      const moved = index.find(name);
      if (moved && unlinkIfExists(moved.file)) return { receipt, ok: true };
      throw staleReceipt();
    } catch (error) {
      if (!isMqError(error)) throw error;
      return { receipt, ok: false, error };
    }
  });
}

// ChangeMessageVisibility: the new deadline counts from now; 0 makes the message visible at once.
export function changeStandardVisibility(ctx: QueueContext, receipt: Receipt, timeoutMs: number): Receipt {
  const requested = decodeReceipt(ctx.name, receipt, parseInFlightName);
  const fast = inFlightPath(ctx, requested);
  // Each attempt looks afresh: losing a rename means another process moved the file meanwhile.
  for (let attempt = 0; attempt < 5; attempt++) {
    const now = ctx.env.clock.now();
    const current = fs.existsSync(fast) ? { file: fast, name: requested } : new DeliveryIndex(ctx).find(requested);
    checkVisibilityChange(current?.name, timeoutMs, now);
    if (timeoutMs === 0) {
      if (makeVisible(ctx, current!.file, current!.name, now)) {
        ring(ctx.layout.notify);
        return receipt;
      }
    } else {
      const next: InFlightName = { ...current!.name, deadline: now + timeoutMs };
      const bucket = inFlightBucket(next.deadline);
      const target = path.join(ctx.layout.inflight, bucket, formatInFlightName(next));
      if (moveFile(current!.file, target, () => ensureSubdirs(ctx, ctx.layout.inflight, [bucket]))) {
        return encodeReceipt(ctx.name, formatInFlightName(next));
      }
    }
  }
  throw staleReceipt();
}

