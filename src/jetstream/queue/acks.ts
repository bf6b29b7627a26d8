// Acks and visibility changes by receipt. A receipt names a delivery (its ack subject); the message is
// looked up by its stream sequence first: gone (acked, purged, dead-lettered, expired) or named twice in
// one call is RECEIPT_STALE. Then `+ACK` (or `-NAK` with a delay) goes to the rebuilt subject as a request,
// answered once the consumer leader has it. JetStream acts by stream sequence, so a receipt of an earlier
// delivery of the same message still works (a documented difference).
import { isMqError } from '../../core/errors.js';
import { checkRange } from '../../core/queue-attributes.js';
import { staleReceipt } from '../../core/receive-rules.js';
import type { AckOutcome, Receipt } from '../../core/queue-types.js';
import type { JetStreamEnv } from '../env.js';
import { toMqError } from '../js-errors.js';
import { READY, type QueueRef, groupOfConsumer } from './queue-catalog.js';
import { type AckSubject, ackSubjectOf } from '../ack-subject.js';
import { parseReceipt } from './receipts.js';
import { nakBody } from './receive.js';

function consumerOf(ref: QueueRef): (consumer: string) => boolean {
  return ref.info.attributes.fifo ? (consumer) => groupOfConsumer(consumer) !== null : (consumer) => consumer === READY;
}

export function parseQueueReceipt(ref: QueueRef, receipt: Receipt): AckSubject {
  return parseReceipt(receipt, { name: ref.name, createdAt: ref.info.createdAt, stream: ref.stream }, consumerOf(ref));
}

async function stillStored(env: JetStreamEnv, ref: QueueRef, ack: AckSubject): Promise<boolean> {
  return (await env.client.getMessage(ref.stream, { seq: ack.streamSeq })) !== null;
}


// Messages this process acked lately, by queue incarnation and stream sequence: the server answers an
// ack before the message leaves the stream, so a second ack right after the first would still find it.
export class RecentAcks {
  private readonly acked = new Set<string>();

  has(ref: QueueRef, seq: number): boolean {
    return this.acked.has(`${ref.stream}/${ref.info.createdAt}/${seq}`);
  }

  add(ref: QueueRef, seq: number): void {
    if (this.acked.size >= 100_000) this.acked.clear();
    this.acked.add(`${ref.stream}/${ref.info.createdAt}/${seq}`);
  }
}

export async function ackReceipts(env: JetStreamEnv, ref: QueueRef, receipts: Receipt[], recent: RecentAcks): Promise<AckOutcome[]> {
  return Promise.all(receipts.map(async (receipt): Promise<AckOutcome> => {
    try {
      const ack = parseQueueReceipt(ref, receipt);
      // Named twice in one call, or acked by this process already.
      if (recent.has(ref, ack.streamSeq)) throw staleReceipt();
      recent.add(ref, ack.streamSeq);
      if (!(await stillStored(env, ref, ack))) throw staleReceipt();
      await env.client.acknowledge(ackSubjectOf(ack), '+ACK');
      return { receipt, ok: true };
    } catch (error) {
      const mapped = isMqError(error) ? error : toMqError(error, env.client.where);
      if (!['RECEIPT_INVALID', 'RECEIPT_STALE'].includes(mapped.code)) throw mapped;
      return { receipt, ok: false, error: mapped };
    }
  }));
}

export async function changeVisibility(env: JetStreamEnv, ref: QueueRef, receipt: Receipt, timeoutMs: number, recent: RecentAcks): Promise<Receipt> {
  checkRange('visibilityTimeoutMs', timeoutMs);
  const ack = parseQueueReceipt(ref, receipt);
  if (recent.has(ref, ack.streamSeq) || !(await stillStored(env, ref, ack))) throw staleReceipt();
  await env.client.acknowledge(ackSubjectOf(ack), nakBody(timeoutMs));
  return receipt;
}
