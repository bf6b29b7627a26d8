// Sending to a JetStream queue: each message checked (core's send rules), then published with a
// message id (random for a standard queue, the core dedup key for a FIFO one, so the stream's 5-minute
// duplicate window is FIFO deduplication), pipelined, each retried with its id until stored. A message's
// id comes from its stream sequence: the PubAck of a retry or of a FIFO duplicate names the original's
// sequence, so it gets the original's id.
import { MqError, entryError, isMqError } from '../../core/errors.js';
import { idFromNumber } from '../../core/ids.js';
import type { SendOptions, SendOutcome, SendRequest } from '../../core/queue-types.js';
import { type CheckedSend, checkSends } from '../../core/send-rules.js';
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

// A checked send (core's rules) as the message to publish: a standard one to the ready subject, or the
// delayed one with its delay; a FIFO one to its group's subject under its dedup key.
export function outgoingOf(ref: QueueRef, checked: CheckedSend, now: number): Outgoing {
  const { content } = checked;
  const body = Buffer.from(content.body, 'utf8');
  const attributes = content.attributes ?? {};
  if (!ref.info.attributes.fifo) {
    const delayMs = checked.visibleAt - now;
    const headers = {
      [H.msgId]: nextMsgId(),
      ...encodeMeta({ attributes, receivesBefore: 0, ...(content.group !== undefined ? { group: content.group } : {}), delayMs }),
    };
    return { subject: `${ref.prefix}.${delayMs > 0 ? DELAYED : READY}`, body, headers };
  }
  const headers = { [H.msgId]: checked.dedupKey!, ...encodeMeta({ attributes, receivesBefore: 0, dedupId: content.dedupId! }) };
  return { subject: groupSubject(ref, content.group!), body, headers };
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
  const now = env.clock.now();
  const checked = checkSends(ref.name, ref.info.attributes, requests, now, options.atomic);
  const outcomes = new Array<SendOutcome>(requests.length);
  const outgoing: { index: number; message: Outgoing }[] = [];
  checked.forEach((entry, index) => {
    try {
      if (entry instanceof MqError) throw entry;
      const message = outgoingOf(ref, entry, now);
      checkPayload(env, message);
      outgoing.push({ index, message });
    } catch (error) {
      if (!isMqError(error)) throw error;
      if (options.atomic) throw entryError(error, 'message', index, requests.length);
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

