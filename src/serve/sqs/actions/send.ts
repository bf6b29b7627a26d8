// SendMessage and SendMessageBatch: the MD5 digests SQS returns (which the SDKs verify), FIFO sequence
// numbers, and per-entry outcomes for a batch.
import { isFifoQueueName } from '../../../core/names.js';
import { md5Hex, md5OfAttributes, messageSize } from '../../../core/message.js';
import type { SendOutcome, SendRequest } from '../../../core/queue-types.js';
import { action } from '../../api/action.js';
import { ApiError, apiErrors } from '../../api/api-error.js';
import { type BatchFailure, batchFailure, checkBatch } from '../batch.js';
import { type WireAttributeValue, toMessageAttributes } from '../message-attributes.js';
import { queueNameFromUrl } from '../queue-urls.js';
import { MESSAGE_ATTRIBUTES, QUEUE_URL } from './shapes.js';

// A batch's bodies and attributes together may not exceed 1 MiB.
const MAX_BATCH_BYTES = 1024 * 1024;

const MESSAGE_FIELDS = {
  MessageBody: { type: 'string', required: true },
  DelaySeconds: { type: 'integer', min: 0, max: 900 },
  MessageAttributes: MESSAGE_ATTRIBUTES,
  MessageSystemAttributes: MESSAGE_ATTRIBUTES,
  MessageDeduplicationId: { type: 'string' },
  MessageGroupId: { type: 'string' },
} as const;

interface MessageFields {
  MessageBody: string;
  DelaySeconds?: number;
  MessageAttributes?: Record<string, WireAttributeValue>;
  MessageDeduplicationId?: string;
  MessageGroupId?: string;
}

function sendRequest(queue: string, fields: MessageFields): SendRequest {
  if (isFifoQueueName(queue) && fields.MessageGroupId === undefined) throw apiErrors.missingParameter('MessageGroupId');
  const attributes = toMessageAttributes(fields.MessageAttributes);
  return {
    body: fields.MessageBody,
    ...(attributes && Object.keys(attributes).length > 0 ? { attributes } : {}),
    ...(fields.DelaySeconds !== undefined ? { delayMs: fields.DelaySeconds * 1000 } : {}),
    ...(fields.MessageGroupId !== undefined ? { group: fields.MessageGroupId } : {}),
    ...(fields.MessageDeduplicationId !== undefined ? { dedupId: fields.MessageDeduplicationId } : {}),
  };
}

function sendResult(request: SendRequest, outcome: SendOutcome & { ok: true }) {
  const attributesMd5 = request.attributes ? md5OfAttributes(request.attributes) : undefined;
  return {
    MessageId: outcome.id,
    MD5OfMessageBody: md5Hex(request.body),
    ...(attributesMd5 ? { MD5OfMessageAttributes: attributesMd5 } : {}),
    ...(outcome.sequence !== undefined ? { SequenceNumber: outcome.sequence } : {}),
  };
}

export const SendMessage = action({ QueueUrl: QUEUE_URL, ...MESSAGE_FIELDS }, async (ctx, input) => {
  const queue = queueNameFromUrl(input.QueueUrl);
  const request = sendRequest(queue, input);
  const [outcome] = await ctx.backend.queues.send(queue, [request], { atomic: true });
  if (!outcome?.ok) throw outcome?.error ?? new Error('no outcome');
  return sendResult(request, outcome);
});

export const SendMessageBatch = action(
  {
    QueueUrl: QUEUE_URL,
    Entries: { type: 'list', required: true, member: { type: 'structure', fields: { Id: { type: 'string', required: true }, ...MESSAGE_FIELDS } } },
  },
  async (ctx, input) => {
    const queue = queueNameFromUrl(input.QueueUrl);
    checkBatch(input.Entries);
    const failed: BatchFailure[] = [];
    const accepted: { id: string; request: SendRequest }[] = [];
    let bytes = 0;
    for (const entry of input.Entries) {
      try {
        const request = sendRequest(queue, entry);
        bytes += messageSize(request.body, request.attributes ?? {});
        accepted.push({ id: entry.Id, request });
      } catch (error) {
        failed.push(batchFailure(entry.Id, error));
      }
    }
    if (bytes > MAX_BATCH_BYTES) {
      throw new ApiError('BatchRequestTooLong', `Batch requests cannot be longer than ${MAX_BATCH_BYTES} bytes. You have sent ${bytes} bytes.`, 400, 'AWS.SimpleQueueService.BatchRequestTooLong');
    }
    const outcomes = accepted.length > 0 ? await ctx.backend.queues.send(queue, accepted.map((entry) => entry.request)) : [];
    const successful = [];
    for (const [i, { id, request }] of accepted.entries()) {
      const outcome = outcomes[i]!;
      if (outcome.ok) successful.push({ Id: id, ...sendResult(request, outcome) });
      else failed.push(batchFailure(id, outcome.error));
    }
    return { Successful: successful, Failed: failed };
  },
);
