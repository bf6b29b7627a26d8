// Reading a run of a stream's messages through an ephemeral consumer (acks none, in memory, one replica,
// gone when idle): made with its start (a sequence, a time, or the last message of each subject), pulled
// in batches until it has given what it had when made (or `max`), then deleted. Used where a message get
// per message would be too many round trips: listing keys, and reading many records of a shard.
import type { Msg } from '@nats-io/transport-node';
import type { JetStreamClient, StoredMessage } from './client.js';
import { headersOf } from './client.js';
import { ns } from './env.js';
import { parseAckSubject, timestampMs } from './ack-subject.js';

export type ConsumerStart =
  | { deliver_policy: 'by_start_sequence'; opt_start_seq: number }
  | { deliver_policy: 'by_start_time'; opt_start_time: string }
  | { deliver_policy: 'last_per_subject' }
  | { deliver_policy: 'all' };

const PULL_BATCH = 10_000;

export async function readWithConsumer(
  client: JetStreamClient,
  stream: string,
  start: ConsumerStart,
  options: { filter?: string; max?: number; maxBytes?: number } = {},
): Promise<Msg[]> {
  const created = await client.api<{ name: string; num_pending: number }>(`CONSUMER.CREATE.${stream}`, {
    stream_name: stream,
    config: {
      ...start,
      ...(options.filter ? { filter_subject: options.filter } : {}),
      ack_policy: 'none',
      inactive_threshold: ns(30_000),
      mem_storage: true,
      num_replicas: 1,
      max_ack_pending: -1,
    },
  });
  const wanted = Math.min(created.num_pending, options.max ?? Number.POSITIVE_INFINITY);
  const messages: Msg[] = [];
  try {
    while (messages.length < wanted) {
      const batch = await client.retrying(() => client.pull(stream, created.name, {
        batch: Math.min(PULL_BATCH, wanted - messages.length),
        expiresMs: 1000,
        ...(options.maxBytes ? { maxBytes: options.maxBytes } : {}),
      }));
      if (batch.length === 0) break;
      messages.push(...batch);
    }
  } finally {
    void client.connection().then((nc) => nc.publish(`$JS.API.CONSUMER.DELETE.${stream}.${created.name}`));
  }
  return messages;
}

// The last message of every subject matching `filter`, as stored messages (for key listings).
export async function readLastPerSubject(client: JetStreamClient, stream: string, filter: string): Promise<StoredMessage[]> {
  const messages = await readWithConsumer(client, stream, { deliver_policy: 'last_per_subject' }, { filter });
  return messages.map((msg) => ({
    subject: msg.subject,
    seq: parseAckSubject(msg.reply ?? '')?.streamSeq ?? 0,
    data: msg.data,
    headers: headersOf(msg),
    time: timestampOf(msg),
  }));
}

// The stream time of a delivered message (0 when its reply subject is not a delivery's).
export function timestampOf(msg: Msg): number {
  const ack = parseAckSubject(msg.reply ?? '');
  return ack ? timestampMs(ack) : 0;
}
