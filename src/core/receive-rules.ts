// A receive and what may follow it, for any backend: the batch size, the visibility timeout and long-poll
// wait a receive runs with (each within the queue's ranges), and the rules of ChangeMessageVisibility:
// the message must still be in flight, and may stay in flight at most 12 hours after the receive that
// took it (refused, not clamped).
import { MqError } from './errors.js';
import { MAX_IN_FLIGHT_MS, QUEUE_LIMITS, type QueueAttributes, checkRange } from './queue-attributes.js';
import type { ReceiveOptions } from './queue-types.js';
import { formatDuration } from './units.js';

// How many messages a receive or peek takes: 1..10,000.
export function checkReceiveBatch(max: number): number {
  const { min, max: most } = QUEUE_LIMITS.receiveBatch;
  if (!Number.isInteger(max) || max < min || max > most) {
    throw new MqError('INVALID_ARGUMENT', `number of messages must be between ${min} and ${most}, got ${max}`);
  }
  return max;
}

export interface ReceiveSettings {
  max: number;
  visibilityTimeoutMs: number;
  deleteOnReceive: boolean;
  waitMs: number;
}

// What a receive runs with: the options given, else the queue's own settings, each checked.
export function receiveSettings(attributes: QueueAttributes, options: ReceiveOptions): ReceiveSettings {
  return {
    max: checkReceiveBatch(options.max ?? QUEUE_LIMITS.receiveBatch.default),
    visibilityTimeoutMs: checkRange('visibilityTimeoutMs', options.visibilityTimeoutMs ?? attributes.visibilityTimeoutMs),
    deleteOnReceive: options.deleteOnReceive ?? false,
    waitMs: checkRange('receiveWaitMs', options.waitMs ?? attributes.receiveWaitMs),
  };
}

export function staleReceipt(): MqError {
  return new MqError(
    'RECEIPT_STALE',
    'receipt is no longer valid: the message was deleted, or received again after its visibility timeout',
  );
}

// Checks a visibility change of `timeoutMs` from `now` of the delivery `current` (undefined when it is no
// longer in flight under its receipt).
export function checkVisibilityChange(
  current: { deadline: number; receivedAt: number } | undefined,
  timeoutMs: number,
  now: number,
): asserts current {
  if (!Number.isInteger(timeoutMs) || timeoutMs < 0 || timeoutMs > MAX_IN_FLIGHT_MS) {
    throw new MqError('INVALID_ARGUMENT', `visibility timeout must be between 0s and ${formatDuration(MAX_IN_FLIGHT_MS)}`);
  }
  if (!current || current.deadline <= now) {
    throw new MqError('RECEIPT_STALE', 'message is not in flight: it was deleted, or its visibility timeout expired');
  }
  const remaining = current.receivedAt + MAX_IN_FLIGHT_MS - now;
  if (timeoutMs > remaining) {
    throw new MqError(
      'CONFLICT',
      `visibility timeout ${formatDuration(timeoutMs)} would keep the message in flight more than ${formatDuration(MAX_IN_FLIGHT_MS)} after it was received (${formatDuration(Math.max(0, remaining))} left)`,
    );
  }
}
