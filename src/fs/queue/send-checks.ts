// Turning a send request into a message ready to publish: the SQS checks of body and attributes, and the
// rules that differ by queue type (FIFO: a group, a dedup id or content dedup, no per-message delay).
import { MqError } from '../../core/errors.js';
import { checkDedupId, checkGroupId, contentDedupId, dedupKey } from '../../core/fifo.js';
import { checkMessage } from '../../core/message.js';
import { checkRange } from '../../core/queue-attributes.js';
import type { SendRequest } from '../../core/queue-types.js';
import type { OutgoingMessage } from './engine.js';
import type { MessageContent } from './message-file.js';
import type { QueueContext } from './queue-context.js';

export function prepareMessage(ctx: QueueContext, request: SendRequest, id: string, now: number): OutgoingMessage {
  const { attributes } = ctx.info;
  const messageAttributes = request.attributes ?? {};
  checkMessage(request.body, messageAttributes, attributes.maxMessageBytes);
  const content: MessageContent = { body: request.body };
  if (Object.keys(messageAttributes).length > 0) content.attributes = messageAttributes;
  if (request.group !== undefined) content.group = checkGroupId(request.group);
  if (!attributes.fifo) {
    if (request.dedupId !== undefined) throw new MqError('INVALID_ARGUMENT', 'deduplication ids apply to FIFO queues only');
    const delayMs = request.delayMs === undefined ? attributes.delayMs : checkRange('delayMs', request.delayMs);
    return { id, content, visibleAt: now + delayMs };
  }
  if (request.delayMs !== undefined) {
    throw new MqError('INVALID_ARGUMENT', `FIFO queue "${ctx.name}" takes no per-message delay: set the queue's delay instead`);
  }
  if (content.group === undefined) throw new MqError('INVALID_ARGUMENT', `FIFO queue "${ctx.name}" needs a message group (--group)`);
  const dedupId = request.dedupId !== undefined ? checkDedupId(request.dedupId) : attributes.contentDedup ? contentDedupId(request.body) : null;
  if (dedupId === null) {
    throw new MqError(
      'INVALID_ARGUMENT',
      `FIFO queue "${ctx.name}" needs a deduplication id (--dedup-id), or content-based deduplication (mq set ${ctx.name} --content-dedup)`,
    );
  }
  content.dedupId = dedupId;
  return { id, content, visibleAt: now, dedupKey: dedupKey(dedupId, content.group, attributes.dedupScope) };
}
