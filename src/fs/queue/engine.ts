// The two ways a queue directory keeps its messages: standard (time buckets, any order) and FIFO (one
// directory per message group, ordered by a per-queue sequence). FsQueueStore picks the engine by the
// queue's type; both keep every message state change to one rename or unlink.
import type { MqError } from '../../core/errors.js';
import type { AckOutcome, PeekedMessage, ReceivedMessage, Receipt, SendResult } from '../../core/queue-types.js';
import type { ReceiveSettings } from '../../core/receive-rules.js';
import type { CheckedSend } from '../../core/send-rules.js';
import type { QueueContext } from './queue-context.js';

// A checked send (core/send-rules.ts) with the id the store gave it.
export interface OutgoingMessage extends CheckedSend {
  id: string;
}

// Thrown by publish when a failure (a full disk, say) stopped it part-way: the messages `results`
// describes (a prefix of the batch) are in the queue, the others are not, so exactly those are reported.
export class PublishFailure extends Error {
  constructor(readonly results: SendResult[], readonly error: MqError) {
    super(error.message);
  }
}

// What a claim takes: the receive's settings (core/receive-rules.ts) but its wait, which the store does;
// with deleteOnReceive, where messages were deleted from (made durable before the receive returns).
export type ClaimOptions = Omit<ReceiveSettings, 'waitMs'> & { deletedFrom?: Set<string> };

export interface ClaimResult {
  messages: ReceivedMessage[];
  // When something not yet visible falls due (a delayed message, an in-flight deadline), if known.
  nextDueAt: number | null;
}

// A message file entering a queue from another one: a dead letter (same id and count, its source
// recorded) or a redriven message (a new id, a fresh count).
export interface Adoption {
  file: string;
  id: string;
  receiveCount: number;
  firstReceivedAt: number;
  deadLetterSource?: string;
  group?: string;
}

export interface DeadLetterTarget {
  // Moves a message to the dead-letter queue; false when the DLQ is missing (the message stays).
  moveIn(message: Adoption): Promise<boolean>;
}

export interface QueueCounts {
  visible: number;
  inFlight: number;
  delayed: number;
  oldestSentAt: number | null;
  receiveCounts: Record<number, number>;
}

export interface QueueEngine {
  publish(ctx: QueueContext, messages: OutgoingMessage[]): Promise<SendResult[]>;
  claim(ctx: QueueContext, options: ClaimOptions, deadLetter: DeadLetterTarget | null): Promise<ClaimResult>;
  ack(ctx: QueueContext, receipts: Receipt[]): AckOutcome[];
  changeVisibility(ctx: QueueContext, receipt: Receipt, timeoutMs: number): Receipt | Promise<Receipt>;
  count(ctx: QueueContext): QueueCounts;
  peek(ctx: QueueContext, max: number): PeekedMessage[];
  // Directories whose entries hold every message (purge renames each entry into trash/).
  messageRoots(ctx: QueueContext): string[];
  // Moves a message file into this queue as a ready message; false when the file was gone.
  adopt(ctx: QueueContext, message: Adoption): Promise<boolean>;
  // Visits ready messages oldest first until `visit` returns false (for redrive).
  forEachReady(ctx: QueueContext, visit: (message: Adoption) => boolean): void;
}

export function emptyCounts(): QueueCounts {
  return { visible: 0, inFlight: 0, delayed: 0, oldestSentAt: null, receiveCounts: {} };
}

export function tally(counts: QueueCounts, sentAt: number, receiveCount: number): void {
  counts.oldestSentAt = Math.min(counts.oldestSentAt ?? sentAt, sentAt);
  counts.receiveCounts[receiveCount] = (counts.receiveCounts[receiveCount] ?? 0) + 1;
}
