// Ack and visibility changes of FIFO deliveries. The receipt names the group directory and the
// in-flight file; a file renamed since (its deadline changed) is found by listing that group's inflight/.
// Visibility changes take the group's token, since they change what is in flight; acks only remove.
import path from 'node:path';
import { isMqError } from '../../../core/errors.js';
import type { AckOutcome, Receipt } from '../../../core/queue-types.js';
import { moveFile, unlinkIfExists } from '../../fs-util.js';
import type { QueueContext } from '../queue-context.js';
import { decodeReceipt, encodeReceipt } from '../receipt.js';
import { checkVisibilityChange, staleReceipt } from '../../../core/receive-rules.js';
import { ring } from '../../doorbell.js';
import {
  type FifoDelivery, type FifoInFlightName, fifoDeliveryKey, formatFifoInFlightName, formatFifoReceiptPath,
  parseFifoReceiptPath,
} from './fifo-names.js';
import { type GroupEntry, GroupFiles } from './group.js';

// The current file of a delivery, or undefined when it is no longer in flight under that receipt.
function locate(files: GroupFiles, delivery: FifoDelivery): GroupEntry<FifoInFlightName> | undefined {
  const key = fifoDeliveryKey(delivery.name);
  return files.inFlight().find((entry) => fifoDeliveryKey(entry.name) === key);
}

export function ackFifo(ctx: QueueContext, receipts: Receipt[]): AckOutcome[] {
  return receipts.map((receipt) => {
    try {
      const delivery = decodeReceipt(ctx.name, receipt, parseFifoReceiptPath);
      const files = new GroupFiles(ctx, delivery.groupDir);
      if (unlinkIfExists(path.join(files.inflight, formatFifoInFlightName(delivery.name)))) return { receipt, ok: true };
      const current = locate(files, delivery);
      if (current && unlinkIfExists(current.file)) return { receipt, ok: true };
      throw staleReceipt();
    } catch (error) {
      if (!isMqError(error)) throw error;
      return { receipt, ok: false, error };
    }
  });
}

export async function changeFifoVisibility(ctx: QueueContext, receipt: Receipt, timeoutMs: number): Promise<Receipt> {
  const delivery = decodeReceipt(ctx.name, receipt, parseFifoReceiptPath);
  const files = new GroupFiles(ctx, delivery.groupDir);
  checkVisibilityChange(locate(files, delivery)?.name, timeoutMs, ctx.env.clock.now());
  const token = await files.token();
  try {
    const now = ctx.env.clock.now();
    const current = locate(files, delivery);
    checkVisibilityChange(current?.name, timeoutMs, now);
    if (timeoutMs === 0) {
      if (!files.returnToReady(current!)) throw staleReceipt();
      ring(ctx.layout.notify);
      return receipt;
    }
    const next: FifoInFlightName = { ...current!.name, deadline: now + timeoutMs };
    if (!moveFile(current!.file, path.join(files.inflight, formatFifoInFlightName(next)), () => {})) throw staleReceipt();
    return encodeReceipt(ctx.name, formatFifoReceiptPath(delivery.groupDir, next));
  } finally {
    token.release();
  }
}
