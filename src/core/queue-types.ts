// The data a QueueStore takes and returns. Times are epoch milliseconds; receipts are opaque strings
// whose format belongs to the backend that issued them.
import type { MqError } from './errors.js';
import type { MessageAttributes } from './message.js';
import type { QueueAttributes } from './queue-attributes.js';

export type Receipt = string;

export interface QueueInfo {
  name: string;
  attributes: QueueAttributes;
  createdAt: number;
  updatedAt: number;
}

export interface CreateQueueResult {
  created: boolean;
  queue: QueueInfo;
}

export interface SendRequest {
  body: string;
  attributes?: MessageAttributes;
  // Standard queues only: overrides the queue's delay for this message.
  delayMs?: number;
  // FIFO queues: the message group (required) and the deduplication id.
  group?: string;
  dedupId?: string;
}

export interface SendResult {
  id: string;
  // FIFO: the sequence number (of the original, for a duplicate).
  sequence?: string;
  // FIFO: true when the send was a duplicate inside the deduplication window (nothing was enqueued).
  duplicate?: boolean;
}

export interface SendOptions {
  atomic?: boolean;
}

// One entry per request, in request order: a request that fails its checks is not stored, the others are.
export type SendOutcome = ({ ok: true } & SendResult) | { ok: false; error: MqError };

export interface ReceiveOptions {
  // How many messages at most (1..10,000; default 1).
  max?: number;
  // Visibility timeout for these messages (default: the queue's).
  visibilityTimeoutMs?: number;
  // Long poll: wait up to this long for a first message (default: the queue's receive wait).
  waitMs?: number;
  // Delete each message as it is received (at-most-once pop); no receipt is issued.
  deleteOnReceive?: boolean;
  // Aborting ends a long poll early with whatever was received (nothing).
  signal?: AbortSignal;
}

export interface Message {
  id: string;
  body: string;
  attributes: MessageAttributes;
  sentAt: number;
  receiveCount: number;
  firstReceivedAt: number | null;
  group?: string;
  dedupId?: string;
  sequence?: string;
  // Set on messages in a dead-letter queue: the queue they were moved from.
  deadLetterSource?: string;
}

export interface ReceivedMessage extends Message {
  // Absent when the message was deleted on receipt.
  receipt?: Receipt;
  firstReceivedAt: number;
}

export type MessageState = 'visible' | 'delayed' | 'inFlight';

export interface PeekedMessage extends Message {
  state: MessageState;
  // When a delayed or in-flight message becomes visible.
  visibleAt: number;
}

export type AckOutcome = { receipt: Receipt; ok: true } | { receipt: Receipt; ok: false; error: MqError };

export interface QueueStats {
  name: string;
  attributes: QueueAttributes;
  visible: number;
  inFlight: number;
  delayed: number;
  oldestSentAt: number | null;
  // How many stored messages have been received how many times (key: receive count).
  receiveCounts: Record<number, number>;
  deadLetter: { queue: string; maxReceives: number; depth: number | null } | null;
  // Queues whose dead-letter policy names this queue.
  deadLetterSources: string[];
  // Messages the store found damaged (unreadable, for example after a power cut with durability 'none')
  // and set aside: never delivered, counted here so that the loss is seen. Where they go is the backend's.
  damaged: number;
}

export interface PurgeResult {
  purged: number;
}

export interface RedriveOptions {
  // Where to move every message (default: each message's own source queue).
  to?: string;
  // Stop after moving this many.
  max?: number;
  // Move at most this many per second.
  ratePerSecond?: number;
  // Aborting stops the move; messages already moved stay moved.
  signal?: AbortSignal;
  onProgress?: (moved: number) => void;
}

export interface RedriveResult {
  moved: number;
  // How many went to each destination queue.
  movedTo: Record<string, number>;
  // Messages left where they were, with why.
  skipped: { id: string; reason: string }[];
}
