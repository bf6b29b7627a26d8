// Ack and visibility changes of FIFO deliveries. The receipt names the group directory and the
// in-flight file; a file renamed since (its deadline changed) is found by listing that group only.
import fs from 'node:fs';
import path from 'node:path';
import { isMqError } from '../../../core/errors.js';
import type { AckOutcome, Receipt } from '../../../core/queue-types.js';
import { listDir, moveFile, unlinkIfExists } from '../../fs-util.js';
import type { QueueContext } from '../queue-context.js';
import { decodeReceipt, encodeReceipt } from '../receipt.js';
import { checkVisibilityChange, staleReceipt } from '../visibility.js';
import { ring } from '../../doorbell.js';
import {
  type FifoDelivery, type FifoInFlightName, fifoDeliveryKey, formatFifoInFlightName, formatFifoReadyName,
  formatFifoReceiptPath, parseFifoInFlightName, parseFifoReceiptPath,
} from './fifo-names.js';

// The current file of a delivery, or undefined when it is no longer in flight under that receipt.
function locate(ctx: QueueContext, delivery: FifoDelivery): { file: string; name: FifoInFlightName } | undefined {
  const dir = path.join(ctx.layout.groups, delivery.groupDir);
  const fast = path.join(dir, formatFifoInFlightName(delivery.name));
  if (fs.existsSync(fast)) return { file: fast, name: delivery.name };
  const key = fifoDeliveryKey(delivery.name);
  for (const file of listDir(dir)) {
    const name = parseFifoInFlightName(file);
    if (name && fifoDeliveryKey(name) === key) return { file: path.join(dir, file), name };
  }
  return undefined;
}

export function ackFifo(ctx: QueueContext, receipts: Receipt[]): AckOutcome[] {
  return receipts.map((receipt) => {
    try {
      const delivery = decodeReceipt(ctx.name, receipt, parseFifoReceiptPath);
      const fast = path.join(ctx.layout.groups, delivery.groupDir, formatFifoInFlightName(delivery.name));
      if (unlinkIfExists(fast)) return { receipt, ok: true };
      const current = locate(ctx, delivery);
      if (current && unlinkIfExists(current.file)) return { receipt, ok: true };
      throw staleReceipt();
    } catch (error) {
      if (!isMqError(error)) throw error;
      return { receipt, ok: false, error };
    }
  });
}

export function changeFifoVisibility(ctx: QueueContext, receipt: Receipt, timeoutMs: number): Receipt {
  const delivery = decodeReceipt(ctx.name, receipt, parseFifoReceiptPath);
  for (let attempt = 0; attempt < 5; attempt++) {
    const now = ctx.env.clock.now();
    const current = locate(ctx, delivery);
    checkVisibilityChange(current?.name, timeoutMs, now);
    const dir = path.dirname(current!.file);
    if (timeoutMs === 0) {
      const { deadline: _d, receivedAt: _r, nonce: _n, ...ready } = current!.name;
      if (moveFile(current!.file, path.join(dir, formatFifoReadyName(ready)), () => {})) {
        ring(ctx.layout.notify);
        return receipt;
      }
    } else {
      const next: FifoInFlightName = { ...current!.name, deadline: now + timeoutMs };
      if (moveFile(current!.file, path.join(dir, formatFifoInFlightName(next)), () => {})) {
        return encodeReceipt(ctx.name, formatFifoReceiptPath(delivery.groupDir, next));
      }
    }
  }
  throw staleReceipt();
}
