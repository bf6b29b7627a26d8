// Dead-letter queues through the API: ListDeadLetterSourceQueues, and redrive as SQS's message move
// tasks (StartMessageMoveTask, ListMessageMoveTasks, CancelMessageMoveTask). A task is the store's
// redrive run in the background of the server; the tasks are kept in the server's memory (most recent
// first), so a restart forgets finished ones and stops running ones (what they moved stays moved).
import { randomUUID } from 'node:crypto';
import { isMqError } from '../../../core/errors.js';
import { type ActionContext, action } from '../../api/action.js';
import { ApiError } from '../../api/api-error.js';
import { decodeToken, encodeToken } from './queues.js';
import { queueArn, queueNameFromArn, queueNameFromUrl, queueUrl } from '../queue-urls.js';
import { QUEUE_URL } from './shapes.js';

type TaskStatus = 'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED';

interface MoveTask {
  handle: string;
  source: string;
  sourceArn: string;
  destinationArn?: string;
  ratePerSecond?: number;
  status: TaskStatus;
  moved: number;
  toMove: number;
  startedAt: number;
  failureReason?: string;
  controller: AbortController;
  done: Promise<void>;
}

function tasksOf(ctx: ActionContext): MoveTask[] {
  let tasks = ctx.state.get('sqs.moveTasks') as MoveTask[] | undefined;
  if (!tasks) ctx.state.set('sqs.moveTasks', (tasks = []));
  return tasks;
}

function resourceNotFound(message: string): ApiError {
  return new ApiError('ResourceNotFoundException', message, 404);
}

export const ListDeadLetterSourceQueues = action(
  { QueueUrl: QUEUE_URL, NextToken: { type: 'string' }, MaxResults: { type: 'integer', min: 1, max: 1000 } },
  async (ctx, input) => {
    const dlq = queueNameFromUrl(input.QueueUrl);
    await ctx.backend.queues.get(dlq);
    const after = input.NextToken !== undefined ? decodeToken(input.NextToken) : null;
    const sources = (await ctx.backend.queues.list())
      .filter((info) => info.attributes.deadLetter?.queue === dlq && (after === null || info.name > after))
      .map((info) => info.name);
    const limit = input.MaxResults ?? 1000;
    const page = sources.slice(0, limit);
    return {
      queueUrls: page.map((name) => queueUrl(ctx.endpoint, name)),
      ...(input.MaxResults !== undefined && sources.length > limit ? { NextToken: encodeToken(page[page.length - 1]!) } : {}),
    };
  },
);

export const StartMessageMoveTask = action(
  { SourceArn: { type: 'string', required: true }, DestinationArn: { type: 'string' }, MaxNumberOfMessagesPerSecond: { type: 'integer', min: 1, max: 500 } },
  async (ctx, input) => {
    const source = queueNameFromArn(input.SourceArn, 'SourceArn');
    const destination = input.DestinationArn !== undefined ? queueNameFromArn(input.DestinationArn, 'DestinationArn') : undefined;
    const queues = ctx.backend.queues;
    const all = await queues.list();
    if (!all.some((info) => info.name === source)) throw resourceNotFound(`The resource that you specified for the SourceArn parameter doesn't exist.`);
    if (destination === undefined && !all.some((info) => info.attributes.deadLetter?.queue === source)) {
      throw resourceNotFound(`Source queue must be configured as a Dead Letter Queue.`);
    }
    const tasks = tasksOf(ctx);
    if (tasks.some((task) => task.source === source && (task.status === 'RUNNING' || task.status === 'CANCELLING'))) {
      throw new ApiError('UnsupportedOperation', `There is already a task running. Only one active task is allowed for a source queue.`, 400, 'AWS.SimpleQueueService.UnsupportedOperation');
    }
    const stats = await queues.stats(source);
    const controller = new AbortController();
    const onShutdown = () => controller.abort();
    ctx.signal.addEventListener('abort', onShutdown, { once: true });
    const task: MoveTask = {
      handle: Buffer.from(JSON.stringify({ taskId: randomUUID(), sourceArn: input.SourceArn })).toString('base64'),
      source,
      sourceArn: input.SourceArn,
      ...(input.DestinationArn !== undefined ? { destinationArn: input.DestinationArn } : {}),
      ...(input.MaxNumberOfMessagesPerSecond !== undefined ? { ratePerSecond: input.MaxNumberOfMessagesPerSecond } : {}),
      status: 'RUNNING',
      moved: 0,
      toMove: stats.visible + stats.inFlight + stats.delayed,
      startedAt: Date.now(),
      controller,
      done: Promise.resolve(),
    };
    task.done = queues
      .redrive(source, {
        ...(destination !== undefined ? { to: destination } : {}),
        ...(task.ratePerSecond !== undefined ? { ratePerSecond: task.ratePerSecond } : {}),
        signal: controller.signal,
        onProgress: (moved) => (task.moved = moved),
      })
      .then((result) => {
        task.moved = result.moved;
        task.status = task.status === 'CANCELLING' ? 'CANCELLED' : 'COMPLETED';
      })
      .catch((error: unknown) => {
        task.status = task.status === 'CANCELLING' ? 'CANCELLED' : 'FAILED';
        if (task.status === 'FAILED') task.failureReason = isMqError(error, 'LOCKED') ? 'AWS.SimpleQueueService.UnsupportedOperation' : String((error as Error).message);
      })
      .finally(() => ctx.signal.removeEventListener('abort', onShutdown));
    tasks.unshift(task);
    return { TaskHandle: task.handle };
  },
);

export const ListMessageMoveTasks = action(
  { SourceArn: { type: 'string', required: true }, MaxResults: { type: 'integer', min: 1, max: 10 } },
  async (ctx, input) => {
    const source = queueNameFromArn(input.SourceArn, 'SourceArn');
    await ctx.backend.queues.get(source).catch((error: unknown) => {
      throw isMqError(error, 'QUEUE_NOT_FOUND') ? resourceNotFound(`The resource that you specified for the SourceArn parameter doesn't exist.`) : error;
    });
    const results = tasksOf(ctx)
      .filter((task) => task.source === source)
      .slice(0, input.MaxResults ?? 1)
      .map((task) => ({
        ...(task.status === 'RUNNING' ? { TaskHandle: task.handle } : {}),
        Status: task.status,
        SourceArn: queueArn(ctx.region, task.source),
        ...(task.destinationArn !== undefined ? { DestinationArn: task.destinationArn } : {}),
        ...(task.ratePerSecond !== undefined ? { MaxNumberOfMessagesPerSecond: task.ratePerSecond } : {}),
        ApproximateNumberOfMessagesMoved: task.moved,
        ApproximateNumberOfMessagesToMove: task.toMove,
        ...(task.failureReason !== undefined ? { FailureReason: task.failureReason } : {}),
        StartedTimestamp: task.startedAt,
      }));
    return { Results: results };
  },
);

export const CancelMessageMoveTask = action({ TaskHandle: { type: 'string', required: true } }, async (ctx, input) => {
  const task = tasksOf(ctx).find((candidate) => candidate.handle === input.TaskHandle);
  if (!task) throw resourceNotFound('The specified task handle does not exist.');
  if (task.status !== 'RUNNING') throw new ApiError('FailedPrecondition', `The task is ${task.status}, not RUNNING.`);
  task.status = 'CANCELLING';
  task.controller.abort();
  await task.done;
  return { ApproximateNumberOfMessagesMoved: task.moved };
});
