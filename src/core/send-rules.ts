// A send, for any backend: each request checked as SQS checks it (body and attributes, then the rules of
// the queue's type: a FIFO message needs a group and a dedup id or content dedup, and takes no delay of
// its own), and the outcome of each request assembled, in order, from what the backend stored.
import { MqError, entryError, isMqError } from './errors.js';
import { checkDedupId, checkGroupId, contentDedupId, dedupKey } from './fifo.js';
import { type MessageAttributes, checkMessage } from './message.js';
import { type QueueAttributes, checkRange } from './queue-attributes.js';
import type { SendOutcome, SendRequest, SendResult } from './queue-types.js';

// What a message holds for good: body, attributes, and on FIFO queues its group and dedup id.
export interface SendContent {
  body: string;
  attributes?: MessageAttributes;
  group?: string;
  dedupId?: string;
}

export interface CheckedSend {
  content: SendContent;
  // When the message becomes visible (a standard queue's delay; FIFO delays apply at receive).
  visibleAt: number;
  // FIFO: the key it is deduplicated by.
  dedupKey?: string;
}

export function checkSend(queue: string, attributes: QueueAttributes, request: SendRequest, now: number): CheckedSend {
  const messageAttributes = request.attributes ?? {};
  checkMessage(request.body, messageAttributes, attributes.maxMessageBytes);
  const content: SendContent = { body: request.body };
  if (Object.keys(messageAttributes).length > 0) content.attributes = messageAttributes;
  if (request.group !== undefined) content.group = checkGroupId(request.group);
  if (!attributes.fifo) {
    if (request.dedupId !== undefined) throw new MqError('INVALID_ARGUMENT', 'deduplication ids apply to FIFO queues only');
    const delayMs = request.delayMs === undefined ? attributes.delayMs : checkRange('delayMs', request.delayMs);
    return { content, visibleAt: now + delayMs };
  }
  if (request.delayMs !== undefined) {
    throw new MqError('INVALID_ARGUMENT', `FIFO queue "${queue}" takes no per-message delay: set the queue's delay instead`);
  }
  if (content.group === undefined) throw new MqError('INVALID_ARGUMENT', `FIFO queue "${queue}" needs a message group (--group)`);
  const dedupId = request.dedupId !== undefined ? checkDedupId(request.dedupId) : attributes.contentDedup ? contentDedupId(request.body) : null;
  if (dedupId === null) {
    throw new MqError(
      'INVALID_ARGUMENT',
      `FIFO queue "${queue}" needs a deduplication id (--dedup-id), or content-based deduplication (mq set ${queue} --content-dedup)`,
    );
  }
  content.dedupId = dedupId;
  return { content, visibleAt: now, dedupKey: dedupKey(dedupId, content.group, attributes.dedupScope) };
}

// Checks every request: a valid one becomes a CheckedSend, an invalid one its error. With `atomic`, the
// first problem is thrown instead (naming the message's place in a batch of several).
export function checkSends(
  queue: string, attributes: QueueAttributes, requests: SendRequest[], now: number, atomic = false,
): (CheckedSend | MqError)[] {
  return requests.map((request, index) => {
    try {
      return checkSend(queue, attributes, request, now);
    } catch (error) {
      if (!isMqError(error)) throw error;
      if (atomic) throw entryError(error, 'message', index, requests.length);
      return error;
    }
  });
}

// The outcome of each request, in order: its error, or what the backend stored for it. `stored` holds the
// results of the valid requests in order; when `failure` stopped the backend part-way, only a prefix of
// them (exactly the messages stored), and the valid requests after it failed with `failure`.
export function sendOutcomes(checked: (CheckedSend | MqError)[], stored: SendResult[], failure: MqError | null = null): SendOutcome[] {
  let next = 0;
  return checked.map((entry): SendOutcome => {
    if (entry instanceof MqError) return { ok: false, error: entry };
    const result = stored[next++];
    if (!result) return { ok: false, error: failure! };
    return {
      ok: true, id: result.id,
      ...(result.sequence !== undefined ? { sequence: result.sequence } : {}),
      ...(result.duplicate ? { duplicate: true } : {}),
    };
  });
}
