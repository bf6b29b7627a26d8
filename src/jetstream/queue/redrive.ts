// Moving dead letters back (StartMessageMoveTask) on JetStream: oldest first, each published to its
// source queue (or the destination) as a new message (new id and send time, no receive count; a FIFO
// message keeps its group and dedup id, published under a message id of its own so no window drops it),
// then deleted from the dead-letter queue. Messages in flight in the dead-letter queue are left. One
// redrive per dead-letter queue at a time: a lock in the metadata bucket that expires unless renewed
// (LOCKED while another live redrive holds it). A redrive killed between the publish and the delete
// moves that message again on the next run only if its message id has left the duplicate window.
import { randomUUID } from 'node:crypto';
import { MqError, isMqError } from '../../core/errors.js';
import type { RedriveOptions, RedriveResult } from '../../core/queue-types.js';
import type { JetStreamEnv } from '../env.js';
import { sleep } from '../env.js';
import { toMqError } from '../js-errors.js';
import { H, decodeMeta, encodeMeta } from './message-headers.js';
import { DELAYED, READY, type QueueRef, groupOfConsumer, groupOfSubject, groupSubject } from './queue-catalog.js';
import { messageIdOf } from './send.js';

const LOCK_MS = 30_000;

interface RedriveLock {
  owner: string;
  expiresAt: number;
}

export async function redriveDeadLetters(
  env: JetStreamEnv,
  dlq: QueueRef,
  sources: string[],
  options: RedriveOptions,
  find: (name: string) => Promise<QueueRef | null>,
): Promise<RedriveResult> {
  if (options.to === undefined && sources.length === 0) {
    throw new MqError('QUEUE_NOT_FOUND', `queue "${dlq.name}" is not a dead-letter queue of any queue (name a destination with --to)`);
  }
  const lock = await takeLock(env, dlq);
  const result: RedriveResult = { moved: 0, movedTo: {}, skipped: [] };
  try {
    const destinations = new Map<string, QueueRef | string>();
    const destination = async (name: string): Promise<QueueRef | string> => {
      if (!destinations.has(name)) destinations.set(name, await openDestination(dlq, name, find));
      return destinations.get(name)!;
    };
    const inFlight = await inFlightUpTo(env, dlq);
    const started = Date.now();
    const max = options.max ?? Number.POSITIVE_INFINITY;
    for (let seq = 1; ; ) {
      if (result.moved >= max || options.signal?.aborted) return result;
      const message = await env.client.getMessage(dlq.stream, { seq, next_by_subj: `${dlq.prefix}.>` });
      if (!message) return result;
      seq = message.seq + 1;
      await lock.keep();
      const meta = decodeMeta(message.headers);
      const id = meta.id ?? messageIdOf(dlq, message.seq);
      const group = dlq.info.attributes.fifo ? groupOfSubject(dlq, message.subject) ?? undefined : meta.group;
      if (message.seq <= (dlq.info.attributes.fifo ? inFlight.get(group ?? '') ?? 0 : inFlight.get('') ?? 0)) continue;
      const target = options.to ?? meta.deadLetterSource;
      const ref = target === undefined ? 'it has no source queue recorded (use --to)' : await destination(target);
      if (typeof ref === 'string') {
        result.skipped.push({ id, reason: ref });
        continue;
      }
      if (options.ratePerSecond) {
        const earliest = started + (result.moved * 1000) / options.ratePerSecond;
        if (earliest > Date.now()) await sleep(earliest - Date.now(), options.signal);
        if (options.signal?.aborted) return result;
      }
      const headers = {
        [H.msgId]: `redrive:${dlq.stream}:${dlq.info.createdAt}:${message.seq}`,
        ...encodeMeta({
          attributes: meta.attributes, receivesBefore: 0,
          ...(meta.dedupId !== undefined && ref.info.attributes.fifo ? { dedupId: meta.dedupId } : {}),
          ...(group !== undefined && !ref.info.attributes.fifo ? { group } : {}),
        }),
      };
      const subject = ref.info.attributes.fifo ? groupSubject(ref, group ?? '') : `${ref.prefix}.${READY}`;
      try {
        await env.client.retrying(() => env.client.publishOnce(subject, message.data, env.client.headers(headers)));
        await env.client.api(`STREAM.MSG.DELETE.${dlq.stream}`, { seq: message.seq, no_erase: true });
      } catch (error) {
        throw toMqError(error, env.client.where);
      }
      result.moved++;
      result.movedTo[ref.name] = (result.movedTo[ref.name] ?? 0) + 1;
      options.onProgress?.(result.moved);
    }
  } finally {
    // Even after a failure half-way: what was deleted must be counted again before the next receive.
    if (result.moved > 0) await recountPending(env, dlq).catch(() => undefined);
    await lock.release();
  }
}

// Deleting messages that no consumer has delivered yet leaves the consumers' count of pending messages
// too high (nats-server 2.9.10): a bare no_wait pull (a receive that does not wait) then waits for
// messages that are not there, and is never answered. A consumer info makes the consumer's leader count
// again. FIFO group consumers are never pulled without expires, so they answer anyway.
async function recountPending(env: JetStreamEnv, dlq: QueueRef): Promise<void> {
  if (dlq.info.attributes.fifo) return;
  await Promise.all([READY, DELAYED].map((consumer) => env.client.api(`CONSUMER.INFO.${dlq.stream}.${consumer}`)));
}

// The stream sequence up to which each consumer of the dead-letter queue has messages in flight (key ''
// for a standard queue's consumer, the group for a FIFO one's).
async function inFlightUpTo(env: JetStreamEnv, dlq: QueueRef): Promise<Map<string, number>> {
  const upTo = new Map<string, number>();
  for (const consumer of await env.client.listConsumers(dlq.stream)) {
    if (consumer.num_ack_pending === 0) continue;
    const key = consumer.name === READY ? '' : groupOfConsumer(consumer.name);
    if (key !== null) upTo.set(key, consumer.delivered.stream_seq);
  }
  return upTo;
}

async function openDestination(dlq: QueueRef, name: string, find: (name: string) => Promise<QueueRef | null>): Promise<QueueRef | string> {
  try {
    const ref = await find(name);
    if (!ref) return `queue "${name}" does not exist`;
    if (ref.info.attributes.fifo !== dlq.info.attributes.fifo) {
      return `queue "${name}" is ${ref.info.attributes.fifo ? 'FIFO' : 'standard'}, "${dlq.name}" is not`;
    }
    return ref;
  } catch (error) {
    if (isMqError(error, 'INVALID_NAME')) return error.message;
    throw error;
  }
}

// The redrive lock of a dead-letter queue: taken when free or expired, kept alive while the redrive runs.
async function takeLock(env: JetStreamEnv, dlq: QueueRef) {
  const key = env.names.redriveLockKey(dlq.name);
  const owner = randomUUID();
  const value = (): RedriveLock => ({ owner, expiresAt: env.clock.now() + LOCK_MS });
  let revision = await env.meta.create(key, value());
  if (revision === null) {
    const current = await env.meta.get<RedriveLock>(key);
    if (current && current.value.expiresAt > env.clock.now()) {
      throw new MqError('LOCKED', `a redrive of "${dlq.name}" is already running (one at a time per dead-letter queue)`);
    }
    revision = current ? await env.meta.update(key, value(), current.revision) : await env.meta.create(key, value());
    if (revision === null) throw new MqError('LOCKED', `a redrive of "${dlq.name}" is already running (one at a time per dead-letter queue)`);
  }
  let renewedAt = env.clock.now();
  return {
    keep: async () => {
      if (env.clock.now() - renewedAt < LOCK_MS / 3) return;
      const next = await env.meta.update(key, value(), revision!);
      if (next === null) throw new MqError('LOCKED', `the redrive of "${dlq.name}" lost its lock to another redrive`);
      revision = next;
      renewedAt = env.clock.now();
    },
    release: async () => {
      await env.meta.delete(key, revision!).catch(() => undefined);
    },
  };
}
