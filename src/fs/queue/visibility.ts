// The rules of ChangeMessageVisibility shared by both engines: the message must still be in flight,
// and it may stay in flight at most 12 hours after the receive that took it (refused, not clamped).
import { MqError } from '../../core/errors.js';
import { MAX_IN_FLIGHT_MS } from '../../core/queue-attributes.js';
import { formatDuration } from '../../core/units.js';

export function staleReceipt(): MqError {
  return new MqError(
    'RECEIPT_STALE',
    'receipt is no longer valid: the message was deleted, or received again after its visibility timeout',
  );
}

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
