// ReceiveMessage: a real long poll (the store wakes on a send from any process), the system attributes
// asked for, and the message attributes selected by MessageAttributeNames with their MD5.
import { md5Hex, md5OfAttributes } from '../../../core/message.js';
import type { ReceivedMessage } from '../../../core/queue-types.js';
import { action } from '../../api/action.js';
import { selectAttributes, toWireAttributes } from '../message-attributes.js';
import { ACCOUNT_ID, queueArn, queueNameFromUrl } from '../queue-urls.js';
import { NAME_LIST, QUEUE_URL } from './shapes.js';

const SYSTEM_ATTRIBUTES = [
  'SenderId', 'SentTimestamp', 'ApproximateReceiveCount', 'ApproximateFirstReceiveTimestamp', 'SequenceNumber',
  'MessageDeduplicationId', 'MessageGroupId', 'DeadLetterQueueSourceArn',
];

export const ReceiveMessage = action(
  {
    QueueUrl: QUEUE_URL,
    AttributeNames: NAME_LIST,
    MessageSystemAttributeNames: NAME_LIST,
    MessageAttributeNames: NAME_LIST,
    MaxNumberOfMessages: { type: 'integer', min: 1, max: 10 },
    VisibilityTimeout: { type: 'integer', min: 0, max: 43_200 },
    WaitTimeSeconds: { type: 'integer', min: 0, max: 20 },
    ReceiveRequestAttemptId: { type: 'string', maxLength: 128 },
  },
  async (ctx, input) => {
    const queue = queueNameFromUrl(input.QueueUrl);
    const messages = await ctx.backend.queues.receive(queue, {
      max: input.MaxNumberOfMessages ?? 1,
      ...(input.VisibilityTimeout !== undefined ? { visibilityTimeoutMs: input.VisibilityTimeout * 1000 } : {}),
      ...(input.WaitTimeSeconds !== undefined ? { waitMs: input.WaitTimeSeconds * 1000 } : {}),
      signal: ctx.signal,
    });
    if (messages.length === 0) return {};
    const systemNames = [...(input.MessageSystemAttributeNames ?? []), ...(input.AttributeNames ?? [])];
    const wanted = systemNames.includes('All') ? SYSTEM_ATTRIBUTES : systemNames;
    return {
      Messages: messages.map((message) => {
        const attributes = selectAttributes(message.attributes, input.MessageAttributeNames);
        const digest = md5OfAttributes(attributes);
        const system = systemAttributes(message, wanted, ctx.region);
        return {
          MessageId: message.id,
          ReceiptHandle: message.receipt,
          MD5OfBody: md5Hex(message.body),
          Body: message.body,
          ...(Object.keys(system).length > 0 ? { Attributes: system } : {}),
          ...(digest ? { MD5OfMessageAttributes: digest, MessageAttributes: toWireAttributes(attributes) } : {}),
        };
      }),
    };
  },
);

function systemAttributes(message: ReceivedMessage, names: string[], region: string): Record<string, string> {
  const all: Record<string, string | undefined> = {
    SenderId: ACCOUNT_ID,
    SentTimestamp: String(message.sentAt),
    ApproximateReceiveCount: String(message.receiveCount),
    ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt),
    SequenceNumber: message.sequence,
    MessageDeduplicationId: message.dedupId,
    MessageGroupId: message.group,
    DeadLetterQueueSourceArn: message.deadLetterSource ? queueArn(region, message.deadLetterSource) : undefined,
  };
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = all[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}
