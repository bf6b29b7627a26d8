// TagQueue, UntagQueue, ListQueueTags: tags live with the queue's attributes (QueueAttributes.tags), so
// every backend keeps them where it keeps the rest of a queue's settings.
import { action } from '../../api/action.js';
import { queueNameFromUrl } from '../queue-urls.js';
import { NAME_LIST, QUEUE_URL, TAGS } from './shapes.js';

export const TagQueue = action({ QueueUrl: QUEUE_URL, Tags: { ...TAGS, required: true } }, async (ctx, input) => {
  const name = queueNameFromUrl(input.QueueUrl);
  const { attributes } = await ctx.backend.queues.get(name);
  await ctx.backend.queues.update(name, { tags: { ...attributes.tags, ...input.Tags } });
});

export const UntagQueue = action({ QueueUrl: QUEUE_URL, TagKeys: { ...NAME_LIST, required: true } }, async (ctx, input) => {
  const name = queueNameFromUrl(input.QueueUrl);
  const { attributes } = await ctx.backend.queues.get(name);
  const tags = { ...attributes.tags };
  for (const key of input.TagKeys) delete tags[key];
  await ctx.backend.queues.update(name, { tags });
});

export const ListQueueTags = action({ QueueUrl: QUEUE_URL }, async (ctx, input) => {
  const { attributes } = await ctx.backend.queues.get(queueNameFromUrl(input.QueueUrl));
  const tags = attributes.tags ?? {};
  return Object.keys(tags).length > 0 ? { Tags: tags } : {};
});
