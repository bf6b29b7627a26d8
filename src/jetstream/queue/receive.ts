// Receiving from a JetStream queue. Standard queues: due delayed messages are first moved from the
// delayed subject to the ready one (a pull on consumer `d`: the due ones republished, id kept, the others
// NAKed for the time they have left), then one raw pull on consumer `r` takes up to N messages, holding
// the request up to the wait for the first. FIFO queues: the groups with messages are listed (one stream
// info), and each gives at most its head (its consumer has max_ack_pending 1), unless the queue's delay
// still holds the head. A message delivered more than maxReceives times is published to the dead-letter
// queue (id kept, message id `dlq:<stream>:<seq>`) and acked instead of being returned. A receive's own
// visibility timeout is a NAK with that delay right after the pull.
import type { Msg } from '@nats-io/transport-node';
import { MqError } from '../../core/errors.js';
import type { ReceivedMessage } from '../../core/queue-types.js';
import type { ReceiveSettings } from '../../core/receive-rules.js';
import { headersOf } from '../client.js';
import type { JetStreamEnv } from '../env.js';
import { ns, sleep } from '../env.js';
import { isJsError, toMqError } from '../js-errors.js';
import { type MessageMeta, H, decodeMeta, encodeMeta } from './message-headers.js';
import {
  DELAYED, READY, type QueueCatalog, type QueueRef, ackWaitMs, groupConsumer, groupConsumerConfig, groupOfSubject, groupSubject,
} from './queue-catalog.js';
import { type AckSubject, parseAckSubject, timestampMs } from '../ack-subject.js';
import { formatReceipt } from './receipts.js';
import { fifoSequence, messageIdOf } from './send.js';

export interface ClaimOptions extends ReceiveSettings {
  signal?: AbortSignal;
}

// A long poll waits in slices: delayed messages come due and FIFO groups free up without a wake-up call.
const SLICE_MS = 1000;
const DELAYED_BATCH = 256;
const GROUPS_AT_ONCE = 32;

interface Delivery {
  msg: Msg;
  ack: AckSubject;
  meta: MessageMeta;
  group?: string;
}

export class QueueReceiver {
  constructor(private readonly env: JetStreamEnv, private readonly catalog: QueueCatalog) {}

  async receive(ref: QueueRef, options: ClaimOptions): Promise<ReceivedMessage[]> {
    const deadline = this.env.clock.now() + options.waitMs;
    const fifo = ref.info.attributes.fifo;
    for (;;) {
      const left = deadline - this.env.clock.now();
      const slice = Math.min(Math.max(left, 0), SLICE_MS);
      const { messages, retired } = fifo ? await this.claimFifo(ref, options) : await this.claimStandard(ref, options, slice);
      if (messages.length > 0 || options.signal?.aborted) return messages;
      // Only dead letters came: go on at once for the messages behind them.
      if (retired > 0) continue;
      if (this.env.clock.now() >= deadline) return [];
      if (fifo) await this.waitForFifo(ref, Math.min(deadline - this.env.clock.now(), SLICE_MS), options.signal);
    }
  }

  private async claimStandard(ref: QueueRef, options: ClaimOptions, sliceMs: number) {
    await this.moveDueDelayed(ref);
    const msgs = await this.pullOrGone(ref, READY, { batch: options.max, expiresMs: sliceMs }, options.signal);
    return this.deliver(ref, msgs.map((msg) => this.delivery(ref, msg)), options);
  }

  // Moves delayed messages that are due to the ready subject, keeping their id and send time; gives the
  // others back to `d` for the time they have left.
  private async moveDueDelayed(ref: QueueRef): Promise<void> {
    for (;;) {
      const msgs = await this.pullOrGone(ref, DELAYED, { batch: DELAYED_BATCH, expiresMs: 0 });
      if (msgs.length === 0) return;
      const now = this.env.clock.now();
      const moves: Promise<void>[] = [];
      for (const msg of msgs) {
        const ack = parseAckSubject(msg.reply!)!;
        const meta = decodeMeta(headersOf(msg));
        const sentAt = meta.sentAt ?? timestampMs(ack);
        const dueAt = timestampMs(ack) + (meta.delayMs ?? 0);
        if (dueAt > now) {
          moves.push(this.env.client.acknowledge(msg.reply!, `-NAK ${JSON.stringify({ delay: ns(dueAt - now) })}`));
          continue;
        }
        const headers = {
          [H.msgId]: `delay:${ref.stream}:${ack.streamSeq}`,
          ...encodeMeta({ ...meta, id: meta.id ?? messageIdOf(ref, ack.streamSeq), sentAt, delayMs: 0 }),
        };
        moves.push((async () => {
          await this.env.client.retrying(() => this.env.client.publishOnce(`${ref.prefix}.${READY}`, msg.data, this.env.client.headers(headers)));
          await this.env.client.acknowledge(msg.reply!, '+ACK');
        })());
      }
      await Promise.all(moves);
      if (msgs.length < DELAYED_BATCH) return;
    }
  }

  private async claimFifo(ref: QueueRef, options: ClaimOptions) {
    const info = await this.env.client.api<{ state: { subjects?: Record<string, number> } }>(`STREAM.INFO.${ref.stream}`, { subjects_filter: `${ref.prefix}.g.*` })
      .catch((error: unknown) => this.rethrowGone(ref, error));
    const groups = Object.keys(info.state.subjects ?? {}).map((subject) => groupOfSubject(ref, subject)).filter((g): g is string => g !== null);
    if (groups.length === 0) return { messages: [], retired: 0 };
    // Which groups have a consumer, and which have a delivery out (in flight, or expired and due again).
    const pending = await this.catalog.groupConsumerPending(ref);
    // Start at a random group, so that a receive smaller than the number of groups reaches all of them over time.
    const start = Math.floor(Math.random() * groups.length);
    const order = [...groups.slice(start), ...groups.slice(0, start)];
    const deliveries: Delivery[] = [];
    // At most as many heads at once as the receive still wants: a head taken is in flight.
    for (let next = 0; next < order.length && deliveries.length < options.max;) {
      const wanted = order.slice(next, next + Math.min(GROUPS_AT_ONCE, options.max - deliveries.length));
      next += wanted.length;
      const heads = await Promise.all(wanted.map((group) => this.pullGroupHead(ref, group, pending.get(groupConsumer(group)))));
      for (const msg of heads) if (msg) deliveries.push(this.delivery(ref, msg));
    }
    return this.deliver(ref, deliveries, options);
  }

  // The head of a group, unless it is in flight or the queue's delay still holds it. `pending` is the
  // number of deliveries its consumer has out (undefined: it has no consumer yet).
  private async pullGroupHead(ref: QueueRef, group: string, pending: number | undefined): Promise<Msg | null> {
    const { delayMs } = ref.info.attributes;
    if (delayMs > 0) {
      const head = await this.env.client.getMessage(ref.stream, { seq: 0, next_by_subj: groupSubject(ref, group) });
      if (!head || head.time + delayMs > this.env.clock.now()) return null;
    }
    if (pending === undefined) await this.env.client.createConsumer(ref.stream, groupConsumerConfig(ref, group)).catch((e: unknown) => this.rethrowGone(ref, e));
    // The group's consumer has max_ack_pending 1, so never a bare no_wait. The pull returns as soon as the
    // head is there: a free group's consumer is given time to read it (one just made may not have yet), a
    // group with a delivery out only the moment to hand over one that expired.
    const [msg] = await this.pullOrGone(ref, groupConsumer(group), { batch: 1, expiresMs: pending ? 20 : 250 });
    return msg ?? null;
  }

  // Until a FIFO queue may have something to give: a send or a give-back rings the queue's bell.
  private async waitForFifo(ref: QueueRef, ms: number, signal?: AbortSignal): Promise<void> {
    await sleep(Math.min(ms, 250), signal);
  }

  private delivery(ref: QueueRef, msg: Msg): Delivery {
    const ack = parseAckSubject(msg.reply ?? '');
    if (!ack) throw new MqError('INTERNAL', `unexpected delivery subject ${JSON.stringify(msg.reply)} from ${ref.stream}`);
    const meta = decodeMeta(headersOf(msg));
    const group = ref.info.attributes.fifo ? groupOfSubject(ref, msg.subject) ?? undefined : meta.group;
    return { msg, ack, meta, ...(group !== undefined ? { group } : {}) };
  }

  // Dead-letters what has been received too often, applies the receive's visibility (or deletes), and
  // returns the rest as messages.
  private async deliver(ref: QueueRef, deliveries: Delivery[], options: ClaimOptions) {
    const now = this.env.clock.now();
    const policy = ref.info.attributes.deadLetter;
    const dlq = policy && deliveries.some((d) => d.meta.receivesBefore + d.ack.delivered > policy.maxReceives)
      ? await this.catalog.find(policy.queue)
      : null;
    const keep: Delivery[] = [];
    const work: Promise<void>[] = [];
    let retired = 0;
    for (const delivery of deliveries) {
      const receiveCount = delivery.meta.receivesBefore + delivery.ack.delivered;
      if (policy && dlq && receiveCount > policy.maxReceives) {
        retired++;
        work.push(this.moveToDeadLetters(ref, dlq, delivery, receiveCount - 1));
      } else {
        keep.push(delivery);
      }
    }
    const visibility = options.visibilityTimeoutMs;
    for (const { msg } of keep) {
      if (options.deleteOnReceive) work.push(this.env.client.acknowledge(msg.reply!, '+ACK'));
      else if (visibility !== ackWaitMs(ref.info.attributes)) work.push(this.env.client.acknowledge(msg.reply!, nakBody(visibility)));
    }
    await Promise.all(work);
    const messages = keep.map((d): ReceivedMessage => {
      const { meta, ack } = d;
      const message: ReceivedMessage = {
        id: meta.id ?? messageIdOf(ref, ack.streamSeq),
        body: Buffer.from(d.msg.data).toString('utf8'),
        attributes: meta.attributes,
        sentAt: meta.sentAt ?? timestampMs(ack),
        receiveCount: meta.receivesBefore + ack.delivered,
        firstReceivedAt: now,
      };
      if (!options.deleteOnReceive) message.receipt = formatReceipt(ref.info.createdAt, ack);
      if (d.group !== undefined) message.group = d.group;
      if (ref.info.attributes.fifo) {
        if (meta.dedupId !== undefined) message.dedupId = meta.dedupId;
        message.sequence = fifoSequence(ack.streamSeq);
      }
      if (meta.deadLetterSource !== undefined) message.deadLetterSource = meta.deadLetterSource;
      return message;
    });
    return { messages, retired };
  }

  private async moveToDeadLetters(ref: QueueRef, dlq: QueueRef, delivery: Delivery, receives: number): Promise<void> {
    const { meta, ack, msg, group } = delivery;
    const headers = {
      [H.msgId]: `dlq:${ref.stream}:${ack.streamSeq}`,
      ...encodeMeta({
        ...meta,
        id: meta.id ?? messageIdOf(ref, ack.streamSeq),
        sentAt: meta.sentAt ?? timestampMs(ack),
        deadLetterSource: ref.name,
        receivesBefore: receives,
        delayMs: 0,
        ...(group !== undefined && !dlq.info.attributes.fifo ? { group } : {}),
      }),
    };
    const subject = dlq.info.attributes.fifo && group !== undefined ? groupSubject(dlq, group) : `${dlq.prefix}.${READY}`;
    await this.env.client.retrying(() => this.env.client.publishOnce(subject, msg.data, this.env.client.headers(headers)));
    await this.env.client.acknowledge(msg.reply!, '+ACK');
  }

  // A pull on one of the queue's consumers; a queue whose stream is gone is QUEUE_NOT_FOUND.
  private async pullOrGone(ref: QueueRef, consumer: string, request: { batch: number; expiresMs: number }, signal?: AbortSignal): Promise<Msg[]> {
    try {
      return await this.env.client.retrying(() => this.env.client.pull(ref.stream, consumer, request, signal));
    } catch (error) {
      return this.rethrowGone(ref, error);
    }
  }

  private async rethrowGone(ref: QueueRef, error: unknown): Promise<never> {
    if (isJsError(error, 10059) || (error instanceof MqError && error.code === 'UNAVAILABLE')) {
      const exists = await this.env.client.api(`STREAM.INFO.${ref.stream}`, undefined, { retry: false }).then(() => true, (e: unknown) => !isJsError(e, 10059));
      if (!exists) throw new MqError('QUEUE_NOT_FOUND', `queue "${ref.name}" does not exist`);
    }
    throw toMqError(error, this.env.client.where);
  }
}

export function nakBody(delayMs: number): string {
  return delayMs > 0 ? `-NAK ${JSON.stringify({ delay: ns(delayMs) })}` : '-NAK';
}
