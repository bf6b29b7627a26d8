// Receipts of JetStream deliveries. A delivery's reply subject (ack-subject.ts) is where acks and NAKs
// go. A receipt is that subject's tail after `$JS.ACK.`,
// prefixed by the queue's incarnation (its creation time in base 36), so a receipt of a queue that was
// removed and made again is refused. A receipt is parsed strictly (this queue's stream, one of its
// consumers, numbers only) and the subject is rebuilt from the parts, so a receipt can never send an
// acknowledgement anywhere else. Pure.
import { MqError } from '../../core/errors.js';
import { type AckSubject, ackTokens, fromAckTokens } from '../ack-subject.js';

export function incarnationTag(createdAt: number): string {
  return createdAt.toString(36);
}

export function formatReceipt(createdAt: number, ack: AckSubject): string {
  return `${incarnationTag(createdAt)}.${ackTokens(ack).join('.')}`;
}

// The delivery a receipt names, checked against the queue it is used on: its incarnation, its stream and
// a consumer the queue has (`consumerOk`): RECEIPT_INVALID otherwise, RECEIPT_STALE for a queue of the
// same name removed since.
export function parseReceipt(
  receipt: string,
  queue: { name: string; createdAt: number; stream: string },
  consumerOk: (consumer: string) => boolean,
): AckSubject {
  const dot = typeof receipt === 'string' ? receipt.indexOf('.') : -1;
  const ack = dot > 0 && receipt.length <= 1024 ? fromAckTokens(receipt.slice(dot + 1).split('.')) : null;
  if (!ack) throw new MqError('RECEIPT_INVALID', `malformed receipt for queue "${queue.name}"`);
  if (ack.stream !== queue.stream || !consumerOk(ack.consumer)) {
    throw new MqError('RECEIPT_INVALID', `the receipt was not issued by queue "${queue.name}"`);
  }
  if (receipt.slice(0, dot) !== incarnationTag(queue.createdAt)) {
    throw new MqError('RECEIPT_STALE', `the receipt was issued by an earlier queue named "${queue.name}" (it was removed and created again)`);
  }
  return ack;
}
