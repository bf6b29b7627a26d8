// Queues as JetStream holds them. A queue is a record in the metadata bucket (`q.<name>`: attributes and
// creation time) and a work-queue stream (R3, file storage, max_age = retention) with subjects
// `<ns>.q.<name>.r` (ready) and `.d` (delayed) and durable pull consumers `r` (ack_wait = the visibility
// timeout, unlimited deliveries and acks pending) and `d`; a FIFO queue has one subject per message group
// (`.g.<base64url(group)>`) and a consumer per group with messages (max_ack_pending 1). The record
// decides whether a queue exists; the stream and consumers are made again by `create` when missing.
import { MqError } from '../../core/errors.js';
import { validateQueueName } from '../../core/names.js';
import type { QueueAttributes } from '../../core/queue-attributes.js';
import { DEDUP_WINDOW_MS } from '../../core/fifo.js';
import { MAX_IN_FLIGHT_MS } from '../../core/queue-attributes.js';
import type { QueueInfo } from '../../core/queue-types.js';
import type { JetStreamEnv } from '../env.js';
import { ns } from '../env.js';
import { base64url, fromBase64url } from '../names.js';

export interface QueueRecord {
  name: string;
  attributes: QueueAttributes;
  createdAt: number;
  updatedAt: number;
}

// A queue as one operation sees it: its record (at a revision) and its JetStream names.
export interface QueueRef {
  name: string;
  info: QueueInfo;
  revision: number;
  stream: string;
  // Subject prefix: `<ns>.q.<token>`.
  prefix: string;
}

export const READY = 'r';
export const DELAYED = 'd';
const GROUP_CONSUMER_PREFIX = 'g-';
// A group's consumer is removed by the server after this long without pulls: longer than a message may
// stay in flight (the server drops a consumer's deliveries with it).
const GROUP_CONSUMER_IDLE_MS = MAX_IN_FLIGHT_MS + 60 * 60_000;

export function groupConsumer(group: string): string {
  return GROUP_CONSUMER_PREFIX + base64url(group);
}

export function groupOfConsumer(consumer: string): string | null {
  return consumer.startsWith(GROUP_CONSUMER_PREFIX) ? fromBase64url(consumer.slice(GROUP_CONSUMER_PREFIX.length)) : null;
}

export function groupSubject(ref: QueueRef, group: string): string {
  return `${ref.prefix}.g.${base64url(group)}`;
}

export function groupOfSubject(ref: QueueRef, subject: string): string | null {
  const start = `${ref.prefix}.g.`;
  return subject.startsWith(start) ? fromBase64url(subject.slice(start.length)) : null;
}

export class QueueCatalog {
  constructor(private readonly env: JetStreamEnv) {}

  refOf(name: string, info: QueueInfo, revision: number): QueueRef {
    return { name, info, revision, stream: this.env.names.queueStream(name), prefix: this.env.names.queueSubjectPrefix(name) };
  }

  async find(name: string): Promise<QueueRef | null> {
    validateQueueName(name);
    const entry = await this.env.meta.get<QueueRecord>(this.env.names.queueKey(name));
    return entry ? this.refOf(name, entry.value, entry.revision) : null;
  }

  async require(name: string): Promise<QueueRef> {
    const ref = await this.find(name);
    if (!ref) throw new MqError('QUEUE_NOT_FOUND', `queue "${name}" does not exist`);
    return ref;
  }

  async list(prefix = ''): Promise<QueueInfo[]> {
    const entries = await this.env.meta.list<QueueRecord>('q.*');
    return entries.map((e) => e.value).filter((info) => info.name.startsWith(prefix)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  // The queue's stream and consumers, made or brought up to date with its attributes.
  async provision(ref: QueueRef): Promise<void> {
    const { client } = this.env;
    const { attributes } = ref.info;
    await client.createStream({
      name: ref.stream,
      subjects: attributes.fifo ? [`${ref.prefix}.g.*`] : [`${ref.prefix}.${READY}`, `${ref.prefix}.${DELAYED}`],
      retention: 'workqueue',
      storage: 'file',
      discard: 'old',
      max_age: ns(attributes.retentionMs),
      // The window cannot pass max_age: a queue kept for less than 5 minutes deduplicates for its retention.
      duplicate_window: ns(Math.min(DEDUP_WINDOW_MS, attributes.retentionMs)),
      allow_direct: false,
    });
    if (!attributes.fifo) {
      await client.createConsumer(ref.stream, readyConsumerConfig(ref));
      await client.createConsumer(ref.stream, {
        durable_name: DELAYED, filter_subject: `${ref.prefix}.${DELAYED}`, ack_policy: 'explicit', ack_wait: ns(30_000),
        max_deliver: -1, max_ack_pending: -1, deliver_policy: 'all',
      });
    } else {
      // Groups' consumers take the new visibility timeout.
      for (const consumer of (await this.groupConsumerPending(ref)).keys()) {
        const group = groupOfConsumer(consumer);
        if (group !== null) await client.createConsumer(ref.stream, groupConsumerConfig(ref, group));
      }
    }
  }

  // The deliveries each group consumer has out (acks pending), by consumer name.
  async groupConsumerPending(ref: QueueRef): Promise<Map<string, number>> {
    const consumers = await this.env.client.listConsumers(ref.stream);
    return new Map(consumers.filter((c) => c.name.startsWith(GROUP_CONSUMER_PREFIX)).map((c) => [c.name, c.num_ack_pending]));
  }
}

// The ack wait of a consumer: the visibility timeout (JetStream takes no 0: a receive with visibility 0
// gives the message back at once by a NAK).
export function ackWaitMs(attributes: QueueAttributes): number {
  return Math.max(attributes.visibilityTimeoutMs, 1000);
}

export function readyConsumerConfig(ref: QueueRef): Record<string, unknown> & { durable_name: string } {
  return {
    durable_name: READY, filter_subject: `${ref.prefix}.${READY}`, ack_policy: 'explicit', ack_wait: ns(ackWaitMs(ref.info.attributes)),
    max_deliver: -1, max_ack_pending: -1, deliver_policy: 'all',
  };
}

export function groupConsumerConfig(ref: QueueRef, group: string): Record<string, unknown> & { durable_name: string } {
  return {
    durable_name: groupConsumer(group), filter_subject: groupSubject(ref, group), ack_policy: 'explicit',
    ack_wait: ns(ackWaitMs(ref.info.attributes)), max_deliver: -1, max_ack_pending: 1, deliver_policy: 'all',
    inactive_threshold: ns(GROUP_CONSUMER_IDLE_MS),
    // One replica: an R3 consumer takes the cluster 0.2-0.8 s to make (a Raft group each), an R1 one
    // milliseconds. Its messages are in the R3 stream either way; a group whose consumer's node is down
    // waits for it.
    num_replicas: 1,
  };
}
