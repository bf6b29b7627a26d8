// DeleteMessage(Batch) and ChangeMessageVisibility(Batch). A receipt handle is the receipt `mq ack`
// takes, and the other way round. As on SQS, deleting with a superseded handle succeeds and deletes
// nothing; changing the visibility of a message no longer in flight under that handle is refused.
import { isMqError } from '../../../core/errors.js';
import { action } from '../../api/action.js';
import { type BatchFailure, batchFailure, checkBatch } from '../batch.js';
import { queueNameFromUrl } from '../queue-urls.js';
import { QUEUE_URL } from './shapes.js';

const RECEIPT = { type: 'string', required: true } as const;
const VISIBILITY = { type: 'integer', required: true, min: 0, max: 43_200 } as const;

// The message behind a stale handle is gone from this delivery, as SQS puts it.
const EXPIRED_RECEIPT = { RECEIPT_STALE: ['InvalidParameterValue', 400] } as const;

export const DeleteMessage = action({ QueueUrl: QUEUE_URL, ReceiptHandle: RECEIPT }, async (ctx, input) => {
  const [outcome] = await ctx.backend.queues.ack(queueNameFromUrl(input.QueueUrl), [input.ReceiptHandle]);
  if (outcome && !outcome.ok && !isMqError(outcome.error, 'RECEIPT_STALE')) throw outcome.error;
});

export const DeleteMessageBatch = action(
  {
    QueueUrl: QUEUE_URL,
    Entries: { type: 'list', required: true, member: { type: 'structure', fields: { Id: { type: 'string', required: true }, ReceiptHandle: RECEIPT } } },
  },
  async (ctx, input) => {
    const queue = queueNameFromUrl(input.QueueUrl);
    checkBatch(input.Entries);
    const outcomes = await ctx.backend.queues.ack(queue, input.Entries.map((entry) => entry.ReceiptHandle));
    const successful: { Id: string }[] = [];
    const failed: BatchFailure[] = [];
    for (const [i, entry] of input.Entries.entries()) {
      const outcome = outcomes[i]!;
      if (outcome.ok || isMqError(outcome.error, 'RECEIPT_STALE')) successful.push({ Id: entry.Id });
      else failed.push(batchFailure(entry.Id, outcome.error));
    }
    return { Successful: successful, Failed: failed };
  },
);

export const ChangeMessageVisibility = action(
  { QueueUrl: QUEUE_URL, ReceiptHandle: RECEIPT, VisibilityTimeout: VISIBILITY },
  async (ctx, input) => {
    await ctx.backend.queues.changeVisibility(queueNameFromUrl(input.QueueUrl), input.ReceiptHandle, input.VisibilityTimeout * 1000);
  },
  EXPIRED_RECEIPT,
);

export const ChangeMessageVisibilityBatch = action(
  {
    QueueUrl: QUEUE_URL,
    Entries: {
      type: 'list',
      required: true,
      member: { type: 'structure', fields: { Id: { type: 'string', required: true }, ReceiptHandle: RECEIPT, VisibilityTimeout: VISIBILITY } },
    },
  },
  async (ctx, input) => {
    const queue = queueNameFromUrl(input.QueueUrl);
    checkBatch(input.Entries);
    const successful: { Id: string }[] = [];
    const failed: BatchFailure[] = [];
    for (const entry of input.Entries) {
      try {
        await ctx.backend.queues.changeVisibility(queue, entry.ReceiptHandle, entry.VisibilityTimeout * 1000);
        successful.push({ Id: entry.Id });
      } catch (error) {
        if (isMqError(error, 'QUEUE_NOT_FOUND')) throw error;
        failed.push(batchFailure(entry.Id, error));
      }
    }
    return { Successful: successful, Failed: failed };
  },
);
