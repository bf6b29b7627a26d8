// GetQueueAttributes and SetQueueAttributes.
import { action } from '../../api/action.js';
import { ApiError } from '../../api/api-error.js';
import { QUEUE_ATTRIBUTE_NAMES, describeQueueAttributes, needsCounts, parseQueueAttributes } from '../queue-attributes.js';
import { queueNameFromUrl } from '../queue-urls.js';
import { ATTRIBUTE_ERRORS } from './queues.js';
import { ATTRIBUTE_MAP, NAME_LIST, QUEUE_URL } from './shapes.js';

export const GetQueueAttributes = action({ QueueUrl: QUEUE_URL, AttributeNames: NAME_LIST }, async (ctx, input) => {
  const name = queueNameFromUrl(input.QueueUrl);
  const names = input.AttributeNames ?? [];
  for (const attribute of names) {
    if (!QUEUE_ATTRIBUTE_NAMES.has(attribute)) throw new ApiError('InvalidAttributeName', `Unknown Attribute ${attribute}.`);
  }
  const queues = ctx.backend.queues;
  const stats = needsCounts(names) ? await queues.stats(name) : null;
  const info = await queues.get(name);
  const attributes = describeQueueAttributes(info, names, ctx.region, stats);
  return Object.keys(attributes).length > 0 ? { Attributes: attributes } : {};
});

export const SetQueueAttributes = action(
  { QueueUrl: QUEUE_URL, Attributes: { ...ATTRIBUTE_MAP, required: true } },
  async (ctx, input) => {
    await ctx.backend.queues.update(queueNameFromUrl(input.QueueUrl), parseQueueAttributes(input.Attributes, false));
  },
  ATTRIBUTE_ERRORS,
);
