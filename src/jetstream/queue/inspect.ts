// Looking at a JetStream queue without receiving: counts from the stream and its consumers (visible =
// not yet delivered, in flight = delivered and not acked, which on JetStream includes deliveries whose
// visibility expired and messages given back until they are delivered again; delayed = on the delayed
// subject, or, on a FIFO queue with a delay, sent within the delay), and peeks by message get.
import type { MessageState, PeekedMessage, QueueStats } from '../../core/queue-types.js';
import type { ConsumerInfo, StoredMessage, StreamInfo } from '../client.js';
import type { JetStreamEnv } from '../env.js';
import { isJsError, toMqError } from '../js-errors.js';
import { MqError } from '../../core/errors.js';
import { decodeMeta } from './message-headers.js';
import { DELAYED, READY, type QueueRef, ackWaitMs, groupOfConsumer, groupOfSubject } from './queue-catalog.js';
import { fifoSequence, messageIdOf } from './send.js';

export interface Counts {
  visible: number;
  inFlight: number;
  delayed: number;
  oldestSentAt: number | null;
  messages: number;
}

// A consumer's deliveries not acked: the stream sequences up to which it has delivered, and how many.
interface Delivered {
  upTo: number;
  pending: number;
  lastActive: number;
}

async function streamInfo(env: JetStreamEnv, ref: QueueRef, subjectsFilter?: string): Promise<StreamInfo> {
  try {
    return await env.client.api<StreamInfo>(`STREAM.INFO.${ref.stream}`, subjectsFilter ? { subjects_filter: subjectsFilter } : undefined);
  } catch (error) {
    if (isJsError(error, 10059)) throw new MqError('QUEUE_NOT_FOUND', `queue "${ref.name}" does not exist`);
    throw toMqError(error, env.client.where);
  }
}

// Every consumer of the queue's stream, by name (FIFO queues: one per group).
async function consumers(env: JetStreamEnv, ref: QueueRef): Promise<Map<string, ConsumerInfo>> {
  return new Map((await env.client.listConsumers(ref.stream)).map((info) => [info.name, info]));
}

function deliveredOf(info: ConsumerInfo | undefined): Delivered {
  if (!info) return { upTo: 0, pending: 0, lastActive: 0 };
  const lastActive = Date.parse(info.delivered.last_active ?? '') || 0;
  return { upTo: info.delivered.stream_seq, pending: info.num_ack_pending, lastActive };
}

export async function countMessages(env: JetStreamEnv, ref: QueueRef): Promise<Counts> {
  const fifo = ref.info.attributes.fifo;
  const info = await streamInfo(env, ref, fifo ? undefined : `${ref.prefix}.${DELAYED}`);
  const messages = info.state.messages;
  const oldestSentAt = messages > 0 ? await oldestSendTime(env, ref, info) : null;
  if (!fifo) {
    const ready = deliveredOf((await consumers(env, ref)).get(READY));
    const delayed = info.state.subjects?.[`${ref.prefix}.${DELAYED}`] ?? 0;
    const inFlight = Math.min(ready.pending, messages - delayed);
    return { visible: Math.max(0, messages - delayed - inFlight), inFlight, delayed, oldestSentAt, messages };
  }
  let inFlight = 0;
  for (const [name, consumer] of await consumers(env, ref)) if (groupOfConsumer(name) !== null) inFlight += consumer.num_ack_pending;
  inFlight = Math.min(inFlight, messages);
  const delayed = Math.min(messages - inFlight, await sentWithin(env, ref, info, ref.info.attributes.delayMs));
  return { visible: messages - inFlight - delayed, inFlight, delayed, oldestSentAt, messages };
}

async function oldestSendTime(env: JetStreamEnv, ref: QueueRef, info: StreamInfo): Promise<number | null> {
  const first = await env.client.getMessage(ref.stream, { seq: info.state.first_seq, next_by_subj: `${ref.prefix}.>` });
  return first ? decodeMeta(first.headers).sentAt ?? first.time : null;
}

// How many messages arrived within the last `ms`: every one after the last that arrived before (stream
// times grow with sequences; messages that recent were never delivered, so none of them was removed).
async function sentWithin(env: JetStreamEnv, ref: QueueRef, info: StreamInfo, ms: number): Promise<number> {
  if (ms <= 0 || info.state.messages === 0) return 0;
  const since = env.clock.now() - ms;
  let lo = info.state.first_seq;
  let hi = info.state.last_seq + 1;
  // The first sequence whose message arrived at or after `since`.
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const message = await env.client.getMessage(ref.stream, { seq: mid, next_by_subj: `${ref.prefix}.>` });
    if (!message || message.time >= since) hi = mid;
    else lo = message.seq + 1;
  }
  return info.state.last_seq - lo + 1;
}

export async function statsOf(env: JetStreamEnv, ref: QueueRef, sourcesOf: (name: string) => Promise<string[]>, find: (name: string) => Promise<QueueRef | null>): Promise<QueueStats> {
  const counts = await countMessages(env, ref);
  const policy = ref.info.attributes.deadLetter;
  let deadLetter: QueueStats['deadLetter'] = null;
  if (policy) {
    const dlq = await find(policy.queue);
    const depth = dlq ? (await streamInfo(env, dlq).catch((e: unknown) => (e instanceof MqError && e.code === 'QUEUE_NOT_FOUND' ? null : Promise.reject(e))))?.state.messages ?? null : null;
    deadLetter = { queue: policy.queue, maxReceives: policy.maxReceives, depth };
  }
  return {
    name: ref.name, attributes: ref.info.attributes,
    visible: counts.visible, inFlight: counts.inFlight, delayed: counts.delayed, oldestSentAt: counts.oldestSentAt,
    // JetStream keeps no receive counts of messages at rest.
    receiveCounts: {},
    deadLetter, deadLetterSources: await sourcesOf(ref.name), damaged: 0,
  };
}

const STATE_ORDER: Record<MessageState, number> = { visible: 0, delayed: 1, inFlight: 2 };

// The first messages of the queue by stream sequence, as visible, delayed or in flight, listed in that
// order (as the file store lists them): enough are read to find `max` after the ones in flight.
export async function peekMessages(env: JetStreamEnv, ref: QueueRef, max: number): Promise<PeekedMessage[]> {
  const info = await streamInfo(env, ref);
  if (info.state.messages === 0) return [];
  const all = await consumers(env, ref);
  const fifo = ref.info.attributes.fifo;
  const ready = deliveredOf(all.get(READY));
  const byGroup = new Map<string, Delivered>();
  let inFlightTotal = ready.pending;
  if (fifo) {
    inFlightTotal = 0;
    for (const [name, consumer] of all) {
      const group = groupOfConsumer(name);
      if (group === null) continue;
      byGroup.set(group, deliveredOf(consumer));
      inFlightTotal += consumer.num_ack_pending;
    }
  }
  const now = env.clock.now();
  const { delayMs } = ref.info.attributes;
  const wanted = Math.min(info.state.messages, max + inFlightTotal);
  const peeked: (PeekedMessage & { seq: number })[] = [];
  let seq = info.state.first_seq;
  while (peeked.length < wanted) {
    const message: StoredMessage | null = await env.client.getMessage(ref.stream, { seq, next_by_subj: `${ref.prefix}.>` });
    if (!message) break;
    seq = message.seq + 1;
    const meta = decodeMeta(message.headers);
    const group = fifo ? groupOfSubject(ref, message.subject) ?? undefined : meta.group;
    const delivered = fifo ? byGroup.get(group ?? '') : ready;
    let state: MessageState = 'visible';
    let visibleAt = message.time;
    if (!fifo && message.subject.endsWith(`.${DELAYED}`)) {
      state = 'delayed';
      visibleAt = message.time + (meta.delayMs ?? 0);
    } else if (delivered && delivered.pending > 0 && message.seq <= delivered.upTo) {
      state = 'inFlight';
      visibleAt = Math.max(now, delivered.lastActive + ackWaitMs(ref.info.attributes));
    } else if (fifo && delayMs > 0 && message.time + delayMs > now) {
      state = 'delayed';
      visibleAt = message.time + delayMs;
    }
    peeked.push({
      seq: message.seq,
      id: meta.id ?? messageIdOf(ref, message.seq),
      body: Buffer.from(message.data).toString('utf8'),
      attributes: meta.attributes,
      sentAt: meta.sentAt ?? message.time,
      receiveCount: meta.receivesBefore + (state === 'inFlight' ? 1 : 0),
      firstReceivedAt: null,
      state,
      visibleAt,
      ...(group !== undefined ? { group } : {}),
      ...(fifo ? { sequence: fifoSequence(message.seq), ...(meta.dedupId !== undefined ? { dedupId: meta.dedupId } : {}) } : {}),
      ...(meta.deadLetterSource !== undefined ? { deadLetterSource: meta.deadLetterSource } : {}),
    });
  }
  peeked.sort((a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state] || a.seq - b.seq);
  return peeked.slice(0, max).map(({ seq: _seq, ...message }) => message);
}
