// Sending to a JetStream queue: each message checked (the SQS rules of core), then published with a
// message id (random for a standard queue, the core dedup key for a FIFO one, so the stream's 5-minute
// duplicate window is FIFO deduplication), pipelined, each retried with its id until stored. A message's
// id comes from its stream sequence: the PubAck of a retry or of a FIFO duplicate names the original's
// sequence, so it gets the original's id.
import { MqError, isMqError } from '../../core/errors.js';
import { checkDedupId, checkGroupId, contentDedupId, dedupKey } from '../../core/fifo.js';
import { idFromNumber } from '../../core/ids.js';
import { checkMessage } from '../../core/message.js';
import { checkRange } from '../../core/queue-attributes.js';
import type { SendOptions, SendOutcome, SendRequest } from '../../core/queue-types.js';
import type { PubAck } from '../client.js';
import type { JetStreamEnv } from '../env.js';
import { isNoResponders, toMqError } from '../js-errors.js';
import { DELAYED, READY, type QueueRef, groupSubject } from './queue-catalog.js';
import { H, encodeMeta, headerBytes } from './message-headers.js';
import { randomBytes } from 'node:crypto';

export interface Outgoing {
  subject: string;
  body: Buffer;
  headers: Record<string, string>;
}

// FIFO sequence numbers: the stream sequence in 20 digits (so they sort as strings).
export function fifoSequence(seq: number): string {
  return String(seq).padStart(20, '0');
}

export function messageIdOf(ref: QueueRef, seq: number): string {
  return idFromNumber(ref.info.createdAt, BigInt(seq));
}

// Message ids of standard sends: a random prefix per process and a counter.
let idPrefix: string | undefined;
let idCounter = 0;
function nextMsgId(): string {
  idPrefix ??= randomBytes(12).toString('base64url');
  return `${idPrefix}${(idCounter++).toString(36)}`;
}

export function prepareSend(ref: QueueRef, request: SendRequest): Outgoing {
  const { attributes } = ref.info;
  const messageAttributes = request.attributes ?? {};
  checkMessage(request.body, messageAttributes, attributes.maxMessageBytes);
  const group = request.group === undefined ? undefined : checkGroupId(request.group);
  const body = Buffer.from(request.body, 'utf8');
  if (!attributes.fifo) {
    if (request.dedupId !== undefined) throw new MqError('INVALID_ARGUMENT', 'deduplication ids apply to FIFO queues only');
    const delayMs = request.delayMs === undefined ? attributes.delayMs : checkRange('delayMs', request.delayMs);
    const headers = {
      [H.msgId]: nextMsgId(),
      ...encodeMeta({ attributes: messageAttributes, receivesBefore: 0, ...(group !== undefined ? { group } : {}), delayMs }),
    };
    return { subject: `${ref.prefix}.${delayMs > 0 ? DELAYED : READY}`, body, headers };
  }
  if (request.delayMs !== undefined) {
    throw new MqError('INVALID_ARGUMENT', `FIFO queue "${ref.name}" takes no per-message delay: set the queue's delay instead`);
  }
  if (group === undefined) throw new MqError('INVALID_ARGUMENT', `FIFO queue "${ref.name}" needs a message group (--group)`);
  const dedupId = request.dedupId !== undefined ? checkDedupId(request.dedupId) : attributes.contentDedup ? contentDedupId(request.body) : null;
  if (dedupId === null) {
    throw new MqError(
      'INVALID_ARGUMENT',
      `FIFO queue "${ref.name}" needs a deduplication id (--dedup-id), or content-based deduplication (mq set ${ref.name} --content-dedup)`,
    );
  }
  const headers = {
    [H.msgId]: dedupKey(dedupId, group, attributes.dedupScope),
    ...encodeMeta({ attributes: messageAttributes, receivesBefore: 0, dedupId }),
  };
  return { subject: groupSubject(ref, group), body, headers };
}

// Refuses a message the server would refuse for its size (its max_payload counts headers too).
export function checkPayload(env: JetStreamEnv, outgoing: Outgoing, what: 'MESSAGE_TOO_LARGE' | 'RECORD_TOO_LARGE' = 'MESSAGE_TOO_LARGE'): void {
  const size = outgoing.body.length + headerBytes(outgoing.headers);
  const max = env.client.maxPayload;
  if (size > max) {
    throw new MqError(what, `${what === 'MESSAGE_TOO_LARGE' ? 'message' : 'record'} is ${size} bytes with its headers, more than the NATS server's max_payload of ${max} bytes (raise max_payload in the server configuration)`);
  }
}

export async function sendMessages(env: JetStreamEnv, ref: QueueRef, requests: SendRequest[], options: SendOptions): Promise<SendOutcome[]> {
  const outcomes = new Array<SendOutcome>(requests.length);
  const outgoing: { index: number; message: Outgoing }[] = [];
  requests.forEach((request, index) => {
    try {
      const message = prepareSend(ref, request);
      checkPayload(env, message);
      outgoing.push({ index, message });
    } catch (error) {
      if (!isMqError(error)) throw error;
      if (options.atomic) throw new MqError(error.code, `${requests.length > 1 ? `message ${index + 1}: ` : ''}${error.message}`);
      outcomes[index] = { ok: false, error };
    }
  });
  const results = await env.client.publishAll(outgoing.map(({ message }) => ({
    subject: message.subject, data: message.body, headers: env.client.headers(message.headers),
  })));
  let gone: MqError | undefined;
  for (const [n, { index }] of outgoing.entries()) {
    const result = results[n]!;
    if (!(result instanceof Error)) {
      outcomes[index] = sent(ref, result);
      continue;
    }
    gone ??= await queueGoneError(env, ref, result);
    outcomes[index] = { ok: false, error: gone ?? toMqError(result, env.client.where) };
  }
  return outcomes;
}

function sent(ref: QueueRef, ack: PubAck): SendOutcome {
  const fifo = ref.info.attributes.fifo;
  return {
    ok: true,
    id: messageIdOf(ref, ack.seq),
    ...(fifo ? { sequence: fifoSequence(ack.seq) } : {}),
    ...(fifo && ack.duplicate ? { duplicate: true } : {}),
  };
}

// After nobody answered a publish for the whole wait: the queue may have been removed meanwhile.
export async function queueGoneError(env: JetStreamEnv, ref: QueueRef, error: Error): Promise<MqError | undefined> {
  if (!isNoResponders(error.cause) && !isNoResponders(error)) return undefined;
  const record = await env.meta.get(env.names.queueKey(ref.name)).catch(() => undefined);
  return record === null ? new MqError('QUEUE_NOT_FOUND', `queue "${ref.name}" does not exist`) : undefined;
}

