// What the workers tell as they go (the onEvent option): progress for a display or metrics, and the
// problems a person should see. describe*Event gives the line `mq work` and `mq consume` print on stderr
// for an event (null for plain progress), so any other adapter can show the same words.
import type { ReceivedMessage } from '../core/queue-types.js';
import { formatDuration } from '../core/units.js';

export type QueueWorkerEvent =
  // Messages received (and held: their visibility is extended until they are settled).
  | { type: 'taken'; messages: ReceivedMessage[] }
  // Handled, and acked.
  | { type: 'processed'; message: ReceivedMessage }
  // Not handled: given back to be visible again after `retryDelayMs`; `deadLettered` when this was its
  // last allowed receive, so the next receive moves it to the dead-letter queue.
  | { type: 'failed'; message: ReceivedMessage; reason: string; retryDelayMs: number; deadLettered: boolean }
  // Taken but not started (stopping, or behind a failed message of its FIFO group): given back at once.
  | { type: 'released'; message: ReceivedMessage }
  // Something about a held message went wrong that may get it delivered again.
  | { type: 'warning'; message: ReceivedMessage; text: string };

export function describeQueueWorkerEvent(event: QueueWorkerEvent): string | null {
  switch (event.type) {
    case 'failed': {
      const { message, reason } = event;
      const next = event.deadLettered
        ? `received ${message.receiveCount} times, it moves to the dead-letter queue`
        : `retry in ${formatDuration(event.retryDelayMs)}`;
      return `message ${message.id}: ${reason}; ${next}`;
    }
    case 'warning':
      return event.text;
    default:
      return null;
  }
}

export type StreamConsumerEvent =
  // This worker took the lease of a shard and processes it now.
  | { type: 'leaseTaken'; shardId: string }
  // A batch was handled and checkpointed.
  | { type: 'processed'; shardId: string; records: number; lastSequence: string }
  // A batch was not handled: it runs again after `retryDelayMs`, or (null) not at all, since the worker
  // is stopping or lost the lease (`lost`).
  | { type: 'failed'; shardId: string; records: number; reason: string; retryDelayMs: number | null; lost: boolean }
  // The end of a closed shard was checkpointed (SHARD_END): its children can be read.
  | { type: 'shardFinished'; shardId: string }
  // Another worker took the shard over: this one stopped processing it.
  | { type: 'leaseLost'; shardId: string }
  | { type: 'warning'; shardId: string; text: string };

export function describeStreamConsumerEvent(event: StreamConsumerEvent): string | null {
  switch (event.type) {
    case 'failed': {
      const { shardId, reason } = event;
      if (event.retryDelayMs === null) return `${shardId}: ${reason}; not retried: ${event.lost ? 'the lease was lost' : 'stopping'}`;
      return `${shardId}: ${reason}; the batch of ${event.records} is retried in ${formatDuration(event.retryDelayMs)}`;
    }
    case 'leaseLost':
      return `lost the lease on ${event.shardId} to another worker: stopped processing it`;
    case 'warning':
      return event.text;
    default:
      return null;
  }
}
