// The store's numbers as Prometheus metric families, read through the backend's interfaces at scrape
// time (nothing is kept between scrapes): per queue its messages by state, the age of its oldest message
// and the depth of its dead-letter queue; per stream its shards, and per shard records, bytes and the
// newest arrival; per consumer group and shard the lag in records and in seconds. Base units (seconds,
// bytes); gauges, since every number is a reading of the store now.
import type { Backend } from '../core/backend.js';
import { isMqError } from '../core/errors.js';
import type { QueueStats } from '../core/queue-types.js';
import type { GroupShardLag, StreamDescription } from '../core/stream-types.js';
import { type MetricFamily, gauge } from './exposition.js';

export interface StoreReading {
  queues: QueueStats[];
  streams: { description: StreamDescription; groups: GroupShardLag[] }[];
}

// Reads every queue's stats and every stream's description and groups. A queue or stream removed while
// it is being read is left out.
export async function readStore(backend: Backend): Promise<StoreReading> {
  const queues: QueueStats[] = [];
  for (const info of await backend.queues.list()) {
    const stats = await goneAsNull(backend.queues.stats(info.name));
    if (stats) queues.push(stats);
  }
  const streams: StoreReading['streams'] = [];
  for (const info of await backend.streams.list()) {
    const description = await goneAsNull(backend.streams.describe(info.name));
    const groups = description && await goneAsNull(backend.streams.groups(info.name));
    if (description && groups) streams.push({ description, groups });
  }
  return { queues, streams };
}

async function goneAsNull<T>(reading: Promise<T>): Promise<T | null> {
  try {
    return await reading;
  } catch (error) {
    if (isMqError(error, 'QUEUE_NOT_FOUND', 'STREAM_NOT_FOUND')) return null;
    throw error;
  }
}

export function storeFamilies(reading: StoreReading, nowMs: number): MetricFamily[] {
  const messages = gauge('mq_queue_messages', 'Messages stored in a queue, by state (visible, in_flight, delayed).');
  const oldest = gauge('mq_queue_oldest_message_age_seconds', 'Age of the oldest message stored in a queue (0 when empty).');
  const deadLetters = gauge('mq_queue_dead_letter_messages', 'Messages in the dead-letter queue of a queue that has one.');
  const damaged = gauge('mq_queue_damaged_messages', 'Stored messages that could not be read and were set aside.');
  for (const stats of reading.queues) {
    const queue = stats.name;
    messages.samples.push(
      { labels: { queue, state: 'visible' }, value: stats.visible },
      { labels: { queue, state: 'in_flight' }, value: stats.inFlight },
      { labels: { queue, state: 'delayed' }, value: stats.delayed },
    );
    oldest.samples.push({ labels: { queue }, value: stats.oldestSentAt === null ? 0 : Math.max(0, nowMs - stats.oldestSentAt) / 1000 });
    if (stats.deadLetter && stats.deadLetter.depth !== null) {
      deadLetters.samples.push({ labels: { queue, dead_letter_queue: stats.deadLetter.queue }, value: stats.deadLetter.depth });
    }
    damaged.samples.push({ labels: { queue }, value: stats.damaged });
  }

  const shards = gauge('mq_stream_shards', 'Shards of a stream, by state (open, closed).');
  const records = gauge('mq_stream_shard_records', 'Unexpired records in a shard.');
  const bytes = gauge('mq_stream_shard_bytes', 'Bytes a shard takes in the store.');
  const arrival = gauge('mq_stream_shard_last_arrival_timestamp_seconds', 'Arrival time of the newest record of a shard (Unix time).');
  const lagRecords = gauge('mq_stream_group_lag_records', 'Records of a shard after a consumer group\'s checkpoint.');
  const lagSeconds = gauge('mq_stream_group_lag_seconds', 'How long the oldest record a consumer group has not processed in a shard has waited.');
  for (const { description, groups } of reading.streams) {
    const stream = description.name;
    shards.samples.push(
      { labels: { stream, state: 'open' }, value: description.openShardCount },
      { labels: { stream, state: 'closed' }, value: description.shardCount - description.openShardCount },
    );
    for (const shard of description.shards) {
      const labels = { stream, shard: shard.shardId };
      records.samples.push({ labels, value: shard.records });
      bytes.samples.push({ labels, value: shard.bytes });
      if (shard.lastArrivedAt !== null) arrival.samples.push({ labels, value: shard.lastArrivedAt / 1000 });
    }
    for (const lag of groups) {
      const labels = { stream, group: lag.group, shard: lag.shardId };
      lagRecords.samples.push({ labels, value: lag.lagRecords });
      lagSeconds.samples.push({ labels, value: lag.lagMs / 1000 });
    }
  }
  return [messages, oldest, deadLetters, damaged, shards, records, bytes, arrival, lagRecords, lagSeconds];
}
