// QueueStore on the file system: each operation opens the queue (reads queue.json), then works on its
// directories with renames and unlinks. No lock is taken on the send, receive or ack paths.
import { MqError, isMqError } from '../../core/errors.js';
import { validateQueueName } from '../../core/names.js';
import {
  type QueueAttributes, applyQueueAttributes, checkRange, newQueueAttributes,
} from '../../core/queue-attributes.js';
import type { QueueStore } from '../../core/queue-store.js';
import type {
  AckOutcome, CreateQueueResult, PeekedMessage, PurgeResult, QueueInfo, QueueStats, ReceiveOptions,
  ReceivedMessage, Receipt, SendOptions, SendOutcome, SendRequest,
} from '../../core/queue-types.js';
import { checkMessage, md5Hex, md5OfAttributes } from '../../core/message.js';
import { withLock } from '../lock.js';
import { type FsStoreEnv, type QueueContext, durableFor } from './queue-context.js';
import { readQueueInfo, writeQueueInfo } from './queue-config.js';
import { createQueueDir, listQueueInfos, purgeQueueDir, removeQueueDir, sweepStaleTemp, sweepTrash } from './queue-admin.js';
import { publishMessages, type NewMessageFile } from './send.js';
import { type DeadLetterTarget, claimMessages, moveToDeadLetter } from './receive.js';
import { ackReceipts, changeVisibility } from './in-flight.js';
import { countMessages, peekMessages } from './inspect.js';
import { Doorbell } from './doorbell.js';

export const MAX_RECEIVE_BATCH = 10_000;

export class FsQueueStore implements QueueStore {
  constructor(private readonly env: FsStoreEnv) {}

  private open(name: string): QueueContext {
    validateQueueName(name);
    const layout = this.env.store.queue(name);
    const info = readQueueInfo(name, layout);
    return { env: this.env, name, layout, info, durable: durableFor(this.env, info) };
  }

  async create(name: string, requested: Partial<QueueAttributes> = {}): Promise<CreateQueueResult> {
    validateQueueName(name);
    const attributes = newQueueAttributes(name, requested);
    if (attributes.deadLetter) this.checkDeadLetterTarget(name, attributes);
    const now = this.env.clock.now();
    const info: QueueInfo = { name, attributes, createdAt: now, updatedAt: now };
    if (createQueueDir(this.env.store, info, durableFor(this.env, info))) return { created: true, queue: info };
    const existing = this.open(name).info;
    const conflicts = (Object.keys(requested) as (keyof QueueAttributes)[]).filter(
      (key) => requested[key] !== undefined && JSON.stringify(existing.attributes[key]) !== JSON.stringify(attributes[key]),
    );
    if (conflicts.length > 0) {
      throw new MqError('ALREADY_EXISTS', `queue "${name}" exists with different attributes: ${conflicts.join(', ')}`);
    }
    return { created: false, queue: existing };
  }

  async update(name: string, changes: Partial<QueueAttributes>): Promise<QueueInfo> {
    const ctx = this.open(name);
    return withLock(ctx.layout.lock, { what: `queue "${name}"` }, () => {
      const current = readQueueInfo(name, ctx.layout);
      const attributes = applyQueueAttributes(name, current.attributes, changes);
      if (changes.deadLetter) this.checkDeadLetterTarget(name, attributes);
      const info: QueueInfo = { ...current, attributes, updatedAt: this.env.clock.now() };
      writeQueueInfo(ctx.layout.config, info, durableFor(this.env, info));
      return info;
    });
  }

  // A dead-letter queue must exist and be of the same type (FIFO with FIFO).
  private checkDeadLetterTarget(name: string, attributes: QueueAttributes): void {
    const target = attributes.deadLetter!.queue;
    validateQueueName(target);
    const dlq = this.open(target).info;
    if (dlq.attributes.fifo !== attributes.fifo) {
      throw new MqError(
        'INVALID_ARGUMENT',
        `dead-letter queue "${target}" must be ${attributes.fifo ? 'a FIFO' : 'a standard'} queue like "${name}"`,
      );
    }
  }

  async get(name: string): Promise<QueueInfo> {
    return this.open(name).info;
  }

  async list(prefix = ''): Promise<QueueInfo[]> {
    return listQueueInfos(this.env.store, prefix);
  }

  async remove(name: string): Promise<void> {
    validateQueueName(name);
    removeQueueDir(this.env.store, name);
    sweepTrash(this.env.store, this.env.clock.now());
  }

  async purge(name: string): Promise<PurgeResult> {
    const ctx = this.open(name);
    const purged = purgeQueueDir(this.env.store, ctx.layout);
    sweepStaleTemp(ctx.layout, this.env.clock.now());
    sweepTrash(this.env.store, this.env.clock.now());
    return { purged };
  }

  async stats(name: string): Promise<QueueStats> {
    const ctx = this.open(name);
    const counts = countMessages(ctx);
    sweepStaleTemp(ctx.layout, this.env.clock.now());
    const policy = ctx.info.attributes.deadLetter;
    let deadLetter: QueueStats['deadLetter'] = null;
    if (policy) {
      let depth: number | null = null;
      try {
        const dlq = countMessages(this.open(policy.queue));
        depth = dlq.visible + dlq.inFlight + dlq.delayed;
      } catch (error) {
        if (!isMqError(error, 'QUEUE_NOT_FOUND')) throw error;
      }
      deadLetter = { queue: policy.queue, maxReceives: policy.maxReceives, depth };
    }
    const deadLetterSources = listQueueInfos(this.env.store)
      .filter((info) => info.attributes.deadLetter?.queue === name)
      .map((info) => info.name);
    return { name, attributes: ctx.info.attributes, ...counts, deadLetter, deadLetterSources };
  }

  async send(name: string, requests: SendRequest[], options: SendOptions = {}): Promise<SendOutcome[]> {
    const ctx = this.open(name);
    const { attributes } = ctx.info;
    const now = this.env.clock.now();
    const files: NewMessageFile[] = [];
    const outcomes: SendOutcome[] = requests.map((request) => {
      try {
        const messageAttributes = request.attributes ?? {};
        checkMessage(request.body, messageAttributes, attributes.maxMessageBytes);
        if (request.delayMs !== undefined) checkRange('delayMs', request.delayMs);
        const id = this.env.ids(now);
        const visibleAt = now + (request.delayMs ?? attributes.delayMs);
        const content = Object.keys(messageAttributes).length > 0
          ? { body: request.body, attributes: messageAttributes }
          : { body: request.body };
        files.push({ name: { visibleAt, id, receiveCount: 0, firstReceivedAt: 0 }, content });
        const md5OfAttrs = md5OfAttributes(messageAttributes);
        return { ok: true as const, id, md5OfBody: md5Hex(request.body), ...(md5OfAttrs ? { md5OfAttributes: md5OfAttrs } : {}) };
      } catch (error) {
        if (!isMqError(error)) throw error;
        return { ok: false as const, error };
      }
    });
    if (options.atomic) {
      const index = outcomes.findIndex((outcome) => !outcome.ok);
      const failed = outcomes[index];
      if (failed && !failed.ok) {
        const where = requests.length > 1 ? `message ${index + 1}: ` : '';
        throw new MqError(failed.error.code, `${where}${failed.error.message}`);
      }
    }
    await publishMessages(ctx, files);
    return outcomes;
  }

  async receive(name: string, options: ReceiveOptions = {}): Promise<ReceivedMessage[]> {
    let ctx = this.open(name);
    const { attributes } = ctx.info;
    const max = options.max ?? 1;
    if (!Number.isInteger(max) || max < 1 || max > MAX_RECEIVE_BATCH) {
      throw new MqError('INVALID_ARGUMENT', `number of messages must be between 1 and ${MAX_RECEIVE_BATCH}, got ${max}`);
    }
    const visibilityTimeoutMs = checkRange('visibilityTimeoutMs', options.visibilityTimeoutMs ?? attributes.visibilityTimeoutMs);
    const waitMs = checkRange('receiveWaitMs', options.waitMs ?? attributes.receiveWaitMs);
    const claimOptions = { max, visibilityTimeoutMs, deleteOnReceive: options.deleteOnReceive ?? false };
    const doorbell = waitMs > 0 ? new Doorbell(ctx.layout.notify) : null;
    try {
      const waitUntil = this.env.clock.now() + waitMs;
      for (;;) {
        const { messages, nextDueAt } = claimMessages(ctx, claimOptions, this.deadLetterTarget(ctx));
        const now = this.env.clock.now();
        if (messages.length > 0 || !doorbell || now >= waitUntil || options.signal?.aborted) return messages;
        await doorbell.wait(Math.min(waitUntil, nextDueAt ?? waitUntil) - now, options.signal);
        ctx = this.open(name);
      }
    } finally {
      doorbell?.close();
    }
  }

  private deadLetterTarget(ctx: QueueContext): DeadLetterTarget | null {
    const policy = ctx.info.attributes.deadLetter;
    if (!policy) return null;
    let dlq: QueueContext | null | undefined;
    return {
      moveIn: (file, name) => {
        if (dlq === undefined) {
          try {
            dlq = this.open(policy.queue);
          } catch (error) {
            if (!isMqError(error, 'QUEUE_NOT_FOUND')) throw error;
            dlq = null;
          }
        }
        return dlq !== null && moveToDeadLetter(ctx, dlq, file, name);
      },
    };
  }

  async ack(name: string, receipts: Receipt[]): Promise<AckOutcome[]> {
    return ackReceipts(this.open(name), receipts);
  }

  async changeVisibility(name: string, receipt: Receipt, timeoutMs: number): Promise<Receipt> {
    return changeVisibility(this.open(name), receipt, timeoutMs);
  }

  async peek(name: string, options: { max?: number } = {}): Promise<PeekedMessage[]> {
    const max = options.max ?? 1;
    if (!Number.isInteger(max) || max < 1 || max > MAX_RECEIVE_BATCH) {
      throw new MqError('INVALID_ARGUMENT', `number of messages must be between 1 and ${MAX_RECEIVE_BATCH}, got ${max}`);
    }
    return peekMessages(this.open(name), max);
  }
}
