// The mq library: the same engine the CLI is built on. Open a backend on a directory (or, once an engine
// backend exists, a URL) and use its queue and stream stores from any Node program, beside the shell
// scripts that use the same queues and streams.
//
//   import { openBackend } from 'mq-cli';
//   const mq = openBackend({ home: '/var/lib/mq' });
//   await mq.queues.create('jobs');
//   await mq.queues.send('jobs', [{ body: 'hello' }]);
//   const [message] = await mq.queues.receive('jobs', { waitMs: 20_000 });
//   if (message?.receipt) await mq.queues.ack('jobs', [message.receipt]);
//   await mq.streams.create('events', { shardCount: 2 });
//   await mq.streams.put('events', [{ data: 'hello', partitionKey: 'user-42' }]);
//   const { records } = await mq.streams.read('events', 'shardId-000000000000', { type: 'trim-horizon' });
//   await runQueueWorker({ store: mq.queues, queue: 'jobs', handler: async (m) => ({ ok: true }), untilEmpty: true });
export { openBackend, type OpenBackendOptions, type FileStoreOptions, type EngineOptions } from './backends.js';
export type { Backend } from './core/backend.js';
export type { QueueStore } from './core/queue-store.js';
export type * from './core/queue-types.js';
export type { QueueAttributes, DeadLetterPolicy, DedupScope } from './core/queue-attributes.js';
export { type Durability, DURABILITY_LEVELS, DEFAULT_DURABILITY } from './core/durability.js';
export { QUEUE_LIMITS, defaultQueueAttributes } from './core/queue-attributes.js';
export type { MessageAttributes } from './core/message.js';
export type { StreamStore } from './core/stream-store.js';
export type * from './core/stream-types.js';
export type { StreamAttributes, CreateStreamOptions } from './core/stream-attributes.js';
export { STREAM_LIMITS, defaultStreamAttributes } from './core/stream-attributes.js';
export type { ShardCursor } from './core/stream-reader.js';
export { readMerged, readLast, followMerged } from './core/stream-reader.js';
export { readGroup, followGroup } from './core/stream-groups.js';
export { compareCheckpoints } from './core/checkpoints.js';
export { formatShardId, parseShardId } from './core/shard-ids.js';
export { MqError, isMqError, type MqErrorCode } from './core/errors.js';
export { runQueueWorker, type QueueWorkerOptions, type QueueWorkerReport } from './workers/queue-worker.js';
export { runStreamConsumer, CONSUMER_DEFAULTS, type StreamConsumerOptions, type StreamConsumerReport } from './workers/stream-consumer.js';
export type { HandlerOutcome, FatalHandlerError } from './workers/handler.js';
export type { RetryPolicy } from './workers/retry.js';
export {
  type QueueWorkerEvent, type StreamConsumerEvent, describeQueueWorkerEvent, describeStreamConsumerEvent,
} from './workers/events.js';
export type { Clock } from './core/clock.js';
export { parseDuration, parseSize, formatDuration, formatSize } from './core/units.js';
