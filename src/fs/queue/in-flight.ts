// Messages in flight: returning expired ones to ready/ (lazily, by whichever command looks first),
// and finding the file of a delivery from its receipt for ack and visibility changes. Every step is one
// rename or unlink; losing a race to another process shows as ENOENT and is a normal outcome.
import fs from 'node:fs';
import path from 'node:path';
import { MqError, isMqError } from '../../core/errors.js';
import { MAX_IN_FLIGHT_MS } from '../../core/queue-attributes.js';
import type { AckOutcome, Receipt } from '../../core/queue-types.js';
import { formatDuration } from '../../core/units.js';
import { listDir, moveFile, removeDirIfEmpty, unlinkIfExists } from '../fs-util.js';
import {
  IN_FLIGHT_BUCKET_SHIFT, type InFlightName, bucketEnd, deliveryKey, formatInFlightName, formatReadyName,
  inFlightBucket, parseInFlightName, readyBucketPath,
} from './message-names.js';
import { type QueueContext, ensureSubdirs } from './queue-context.js';
import { decodeReceipt, encodeReceipt } from './receipt.js';
import { sortedBuckets } from './ready-walk.js';
import { ring } from './doorbell.js';

const EMPTY_BUCKET_GRACE_MS = 60_000;

export interface InFlightEntry {
  file: string;
  name: InFlightName;
}

// Calls `visit` for every in-flight message in buckets starting at or before `horizon`, oldest first.
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

// Moves an in-flight message back to ready/, visible from `visibleAt`.
function makeVisible(ctx: QueueContext, file: string, name: InFlightName, visibleAt: number): boolean {
  const bucket = readyBucketPath(visibleAt);
  const ready = formatReadyName({
    visibleAt, id: name.id, receiveCount: name.receiveCount, firstReceivedAt: name.firstReceivedAt,
    deadLetterSource: name.deadLetterSource,
  });
  return moveFile(file, path.join(ctx.layout.ready, ...bucket, ready), () => ensureSubdirs(ctx, ctx.layout.ready, bucket));
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

function staleReceipt(): MqError {
  return new MqError(
    'RECEIPT_STALE',
    'receipt is no longer valid: the message was deleted, or received again after its visibility timeout',
  );
}

export function ackReceipts(ctx: QueueContext, receipts: Receipt[]): AckOutcome[] {
  const index = new DeliveryIndex(ctx);
  return receipts.map((receipt) => {
    try {
      const name = decodeReceipt(ctx.name, receipt);
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
export function changeVisibility(ctx: QueueContext, receipt: Receipt, timeoutMs: number): Receipt {
  if (!Number.isInteger(timeoutMs) || timeoutMs < 0 || timeoutMs > MAX_IN_FLIGHT_MS) {
    throw new MqError('INVALID_ARGUMENT', `visibility timeout must be between 0s and ${formatDuration(MAX_IN_FLIGHT_MS)}`);
  }
  const requested = decodeReceipt(ctx.name, receipt);
  const fast = inFlightPath(ctx, requested);
  // Each attempt looks afresh: losing a rename means another process moved the file meanwhile.
  for (let attempt = 0; attempt < 5; attempt++) {
    const now = ctx.env.clock.now();
    const current = fs.existsSync(fast) ? { file: fast, name: requested } : new DeliveryIndex(ctx).find(requested);
    if (!current || current.name.deadline <= now) {
      throw new MqError('RECEIPT_STALE', 'message is not in flight: it was deleted, or its visibility timeout expired');
    }
    const remaining = current.name.receivedAt + MAX_IN_FLIGHT_MS - now;
    if (timeoutMs > remaining) {
      throw new MqError(
        'CONFLICT',
        `visibility timeout ${formatDuration(timeoutMs)} would keep the message in flight more than ${formatDuration(MAX_IN_FLIGHT_MS)} after it was received (${formatDuration(Math.max(0, remaining))} left)`,
      );
    }
    if (timeoutMs === 0) {
      if (makeVisible(ctx, current.file, current.name, now)) {
        ring(ctx.layout.notify);
        return receipt;
      }
    } else {
      const next: InFlightName = { ...current.name, deadline: now + timeoutMs };
      const bucket = inFlightBucket(next.deadline);
      const target = path.join(ctx.layout.inflight, bucket, formatInFlightName(next));
      if (moveFile(current.file, target, () => ensureSubdirs(ctx, ctx.layout.inflight, [bucket]))) {
        return encodeReceipt(ctx.name, next);
      }
    }
  }
  throw staleReceipt();
}
