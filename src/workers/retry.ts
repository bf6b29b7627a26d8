// When a message whose handler failed becomes visible again: after the retry delay, doubled for each
// earlier delivery with backoff and capped, and never later than a message may stay in flight (12 h
// after the receive, counted conservatively from before the receive started).
import { MqError } from '../core/errors.js';
import { MAX_IN_FLIGHT_MS, MINUTE } from '../core/queue-attributes.js';
import { formatDuration } from '../core/units.js';

export interface RetryPolicy {
  delayMs: number;
  backoff: boolean;
  // The cap of the backoff (the delay itself is never cut below `delayMs`).
  maxDelayMs: number;
}

// The cap of a backoff unless one is given.
export const DEFAULT_MAX_RETRY_DELAY_MS = 15 * MINUTE;

// A time a message is kept invisible (a visibility timeout, a retry delay): at most the 12 h a message may
// stay in flight. `what` names it in the message.
export function checkInFlightCap(ms: number, what: string): number {
  if (ms > MAX_IN_FLIGHT_MS) throw new MqError('INVALID_ARGUMENT', `${what} must be at most ${formatDuration(MAX_IN_FLIGHT_MS)}`);
  return ms;
}

// Room left under the 12 h cap for clock skew between our reading and the store's.
export const IN_FLIGHT_MARGIN_MS = 5_000;

// The delay before the next delivery, for a message delivered `receiveCount` times (1 on the first
// delivery) that has been in flight for `inFlightMs`: delay × 2^(receiveCount − 1) with backoff, capped at
// max(maxDelay, delay); then within the in-flight cap.
export function retryDelayMs(policy: RetryPolicy, receiveCount: number, inFlightMs: number): number {
  let delay = policy.delayMs;
  if (policy.backoff && delay > 0) {
    const cap = Math.max(policy.maxDelayMs, policy.delayMs);
    const exponent = Math.max(0, receiveCount - 1);
    // 2^exponent overflows to Infinity for absurd counts, which the cap absorbs.
    delay = Math.min(cap, delay * 2 ** exponent);
  }
  return Math.max(0, Math.min(delay, inFlightRoomMs(inFlightMs)));
}

// How much longer a message in flight for `inFlightMs` may be kept invisible.
export function inFlightRoomMs(inFlightMs: number): number {
  return Math.max(0, MAX_IN_FLIGHT_MS - inFlightMs - IN_FLIGHT_MARGIN_MS);
}
