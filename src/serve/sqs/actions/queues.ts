// Queue lifecycle: CreateQueue, GetQueueUrl, ListQueues, DeleteQueue, PurgeQueue.
import { action } from '../../api/action.js';
import { ApiError } from '../../api/api-error.js';
import { parseQueueAttributes } from '../queue-attributes.js';
import { queueNameFromUrl, queueUrl } from '../queue-urls.js';
import { QUEUE_URL, TAGS, ATTRIBUTE_MAP } from './shapes.js';

const QUEUE_NAME = { type: 'string', required: true } as const;
// A value out of range is InvalidAttributeValue on CreateQueue and SetQueueAttributes.
export const ATTRIBUTE_ERRORS = { INVALID_ARGUMENT: ['InvalidAttributeValue', 400] } as const;

export const CreateQueue = action(
  { QueueName: QUEUE_NAME, Attributes: ATTRIBUTE_MAP, tags: TAGS },
  async (ctx, input) => {
    // As on SQS, a FIFO queue is asked for by its name and the attribute together.
    if (input.QueueName.endsWith('.fifo') !== (input.Attributes?.FifoQueue === 'true')) {
      throw new ApiError('InvalidParameterValue', 'The name of a FIFO queue must end with the .fifo suffix and its FifoQueue attribute must be true.');
    }
    const attributes = parseQueueAttributes(input.Attributes ?? {}, true);
    if (input.tags && Object.keys(input.tags).length > 0) attributes.tags = input.tags;
    const { queue } = await ctx.backend.queues.create(input.QueueName, attributes);
    return { QueueUrl: queueUrl(ctx.endpoint, queue.name) };
  },
  { ...ATTRIBUTE_ERRORS, INVALID_NAME: ['InvalidParameterValue', 400] },
);

export const GetQueueUrl = action(
  { QueueName: QUEUE_NAME, QueueOwnerAWSAccountId: { type: 'string' } },
  async (ctx, input) => {
    const { name } = await ctx.backend.queues.get(input.QueueName);
    return { QueueUrl: queueUrl(ctx.endpoint, name) };
  },
  { INVALID_NAME: ['QueueDoesNotExist', 400, 'AWS.SimpleQueueService.NonExistentQueue'] },
);

// NextToken is the last name of the page before (opaque to clients: base64url).
export const ListQueues = action(
  { QueueNamePrefix: { type: 'string' }, NextToken: { type: 'string' }, MaxResults: { type: 'integer', min: 1, max: 1000 } },
  async (ctx, input) => {
    const after = input.NextToken !== undefined ? decodeToken(input.NextToken) : null;
    const names = (await ctx.backend.queues.list(input.QueueNamePrefix ?? '')).map((info) => info.name).filter((name) => after === null || name > after);
    const limit = input.MaxResults ?? 1000;
    const page = names.slice(0, limit);
    const more = input.MaxResults !== undefined && names.length > limit;
    return {
      ...(page.length > 0 ? { QueueUrls: page.map((name) => queueUrl(ctx.endpoint, name)) } : {}),
      ...(more ? { NextToken: encodeToken(page[page.length - 1]!) } : {}),
    };
  },
);

export function encodeToken(last: string): string {
  return Buffer.from(JSON.stringify({ after: last })).toString('base64url');
}

export function decodeToken(token: string): string {
  try {
    const { after } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof after === 'string') return after;
  } catch {
    // reported below
  }
  throw new ApiError('InvalidParameterValue', 'Invalid NextToken value.');
}

export const DeleteQueue = action({ QueueUrl: QUEUE_URL }, async (ctx, input) => {
  await ctx.backend.queues.remove(queueNameFromUrl(input.QueueUrl));
});

export const PurgeQueue = action({ QueueUrl: QUEUE_URL }, async (ctx, input) => {
  await ctx.backend.queues.purge(queueNameFromUrl(input.QueueUrl));
});
