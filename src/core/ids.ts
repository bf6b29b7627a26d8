// Message ids: ULIDs, whose first 48 bits are the send time in milliseconds, taken from the store's
// clock so that a fake clock gives ids (and send times) in fake time. Monotonic within one process.
import { monotonicFactory } from 'ulid';

export type IdFactory = (nowMs: number) => string;

export function createIdFactory(): IdFactory {
  const next = monotonicFactory();
  return (nowMs) => next(nowMs);
}
