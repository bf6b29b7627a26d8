// QueueStore on the file system: each operation opens the queue (reads queue.json) and hands the work to
// the engine of its type (standard or FIFO). No lock is taken on the receive or ack paths.
import { MqError, isMqError } from '../../core/errors.js';
import { validateQueueName } from '../../core/names.js';
import { type QueueAttributes, applyQueueAttributes, checkRange, checkRedriveAllowed, newQueueAttributes } from '../../core/queue-attributes.js';
import type { QueueStore } from '../../core/queue-store.js';
import type {
  AckOutcome, CreateQueueResult, PeekedMessage, PurgeResult, QueueInfo, QueueStats, ReceiveOptions,
  ReceivedMessage, Receipt, RedriveOptions, RedriveResult, SendOptions, SendOutcome, SendRequest,
} from '../../core/queue-types.js';
import { listDir } from '../fs-util.js';
import { type FsStoreEnv, type QueueContext, durableFor, withQueueLock } from './queue-context.js';
import { readQueueInfo, writeQueueInfo } from './queue-config.js';
import { createQueueDir, listQueueInfos, purgeQueueDir, removeQueueDir, sweepStaleTemp } from './queue-admin.js';
import { sweepTrash } from '../trash.js';
import { type DeadLetterTarget, type OutgoingMessage, PublishFailure, type PublishResult, type QueueEngine } from './engine.js';
import { standardEngine } from './standard/index.js';
import { fifoEngine } from './fifo/index.js';
import { prepareMessage } from './send-checks.js';
import { redrive } from './redrive.js';
import { Doorbell } from '../doorbell.js';
import { prepareStoreRoot, refuseLink } from '../store-root.js';

export const MAX_RECEIVE_BATCH = 10_000;

function engineOf(ctx: QueueContext): QueueEngine {
  return ctx.info.attributes.fifo ? fifoEngine : standardEngine;
}

function checkBatchSize(max: number): number {
  if (!Number.isInteger(max) || max < 1 || max > MAX_RECEIVE_BATCH) {
    throw new MqError('INVALID_ARGUMENT', `number of messages must be between 1 and ${MAX_RECEIVE_BATCH}, got ${max}`);
  }
  return max;
}

export class FsQueueStore implements QueueStore {
  constructor(private readonly env: FsStoreEnv) {}

  private prepareRoot(): void {
    prepareStoreRoot(this.env.store.root, { allowNetworkFileSystem: this.env.allowNetworkFileSystem ?? false });
  }

  private open(name: string): QueueContext {
    validateQueueName(name);
    this.prepareRoot();
    const layout = this.env.store.queue(name);
    refuseLink(layout.dir, 'queue directory');
    const info = readQueueInfo(name, layout);
    return { env: this.env, name, layout, info, durable: durableFor(this.env, info) };
  }

  async create(name: string, requested: Partial<QueueAttributes> = {}): Promise<CreateQueueResult> {
    validateQueueName(name);
    this.prepareRoot();
    const attributes = newQueueAttributes(name, requested);
    if (attributes.deadLetter) this.checkDeadLetterTarget(name, attributes);
    const now = this.env.clock.now();
    const info: QueueInfo = { name, attributes, createdAt: now, updatedAt: now };
    if (createQueueDir(this.env.store, info, durableFor(this.env, info))) return { created: true, queue: info };
    const existing = this.open(name).info;
    // Tags are not part of a queue's identity: creating an existing queue leaves its tags as they are.
    const conflicts = (Object.keys(requested) as (keyof QueueAttributes)[]).filter(
      (key) => key !== 'tags' && requested[key] !== undefined && JSON.stringify(existing.attributes[key]) !== JSON.stringify(attributes[key]),
    );
    if (conflicts.length > 0) {
      throw new MqError('ALREADY_EXISTS', `queue "${name}" exists with different attributes: ${conflicts.join(', ')}`);
    }
    return { created: false, queue: existing };
  }

  async update(name: string, changes: Partial<QueueAttributes>): Promise<QueueInfo> {
    const ctx = this.open(name);
    return withQueueLock(ctx, () => {
      const current = readQueueInfo(name, ctx.layout);
      const attributes = applyQueueAttributes(name, current.attributes, changes);
      if (changes.deadLetter) this.checkDeadLetterTarget(name, attributes);
      const info: QueueInfo = { ...current, attributes, updatedAt: this.env.clock.now() };
      writeQueueInfo(ctx.layout.config, info, durableFor(this.env, info));
      return info;
    });
  }

  // A dead-letter queue must exist, be of the same type (FIFO with FIFO) and allow this queue as a source.
  private checkDeadLetterTarget(name: string, attributes: QueueAttributes): void {
    const target = attributes.deadLetter!.queue;
    const dlq = this.open(target).info;
    if (dlq.attributes.fifo !== attributes.fifo) {
      throw new MqError('INVALID_ARGUMENT', `dead-letter queue "${target}" must be ${attributes.fifo ? 'a FIFO' : 'a standard'} queue like "${name}"`);
    }
    checkRedriveAllowed(name, target, dlq.attributes.redriveAllow);
  }

  async get(name: string): Promise<QueueInfo> {
    return this.open(name).info;
  }

  async list(prefix = ''): Promise<QueueInfo[]> {
    this.prepareRoot();
    return listQueueInfos(this.env.store, prefix);
  }

  async remove(name: string): Promise<void> {
    validateQueueName(name);
    this.prepareRoot();
    removeQueueDir(this.env.store, name);
    sweepTrash(this.env.store, this.env.clock.now());
  }

  async purge(name: string, options: { onProgress?: (removed: number) => void } = {}): Promise<PurgeResult> {
    const ctx = this.open(name);
    const purged = purgeQueueDir(this.env.store, engineOf(ctx).messageRoots(ctx), options.onProgress);
    sweepStaleTemp(ctx.layout, this.env.clock.now());
    sweepTrash(this.env.store, this.env.clock.now());
    return { purged };
  }

  async stats(name: string): Promise<QueueStats> {
    const ctx = this.open(name);
    const counts = engineOf(ctx).count(ctx);
    sweepStaleTemp(ctx.layout, this.env.clock.now());
    const policy = ctx.info.attributes.deadLetter;
    let deadLetter: QueueStats['deadLetter'] = null;
    if (policy) {
      let depth: number | null = null;
      try {
        const dlq = this.open(policy.queue);
        const dlqCounts = engineOf(dlq).count(dlq);
        depth = dlqCounts.visible + dlqCounts.inFlight + dlqCounts.delayed;
      } catch (error) {
        if (!isMqError(error, 'QUEUE_NOT_FOUND')) throw error;
      }
      deadLetter = { queue: policy.queue, maxReceives: policy.maxReceives, depth };
    }
    return {
      name, attributes: ctx.info.attributes, ...counts, deadLetter, deadLetterSources: this.sourcesOf(name),
      damaged: listDir(ctx.layout.damaged).length,
    };
  }

  // Queues whose dead-letter policy names `name`.
  private sourcesOf(name: string): string[] {
    return listQueueInfos(this.env.store).filter((info) => info.attributes.deadLetter?.queue === name).map((info) => info.name);
  }

  async send(name: string, requests: SendRequest[], options: SendOptions = {}): Promise<SendOutcome[]> {
    const ctx = this.open(name);
    const now = this.env.clock.now();
    const outgoing: OutgoingMessage[] = [];
    const checked = requests.map((request, index) => {
      try {
        const message = prepareMessage(ctx, request, this.env.ids(now), now);
        outgoing.push(message);
        return { ok: true as const, message };
      } catch (error) {
        if (!isMqError(error)) throw error;
        if (options.atomic) throw new MqError(error.code, `${requests.length > 1 ? `message ${index + 1}: ` : ''}${error.message}`);
        return { ok: false as const, error };
      }
    });
    let published: PublishResult[];
    let failure: PublishFailure | null = null;
    try {
      published = await engineOf(ctx).publish(ctx, outgoing);
    } catch (error) {
      // Part of the batch may be stored (a disk that filled up half-way): report exactly that part.
      if (!(error instanceof PublishFailure)) throw error;
      if (error.results.length === 0) throw error.error;
      failure = error;
      published = error.results;
    }
    let next = 0;
    return checked.map((entry): SendOutcome => {
      if (!entry.ok) return entry;
      const result = published[next++];
      if (!result) return { ok: false, error: failure!.error };
      return {
        ok: true, id: result.id,
        ...(result.sequence !== undefined ? { sequence: result.sequence } : {}),
        ...(result.duplicate ? { duplicate: true } : {}),
      };
    });
  }

  async receive(name: string, options: ReceiveOptions = {}): Promise<ReceivedMessage[]> {
    let ctx = this.open(name);
    const { attributes } = ctx.info;
    const claimOptions = {
      max: checkBatchSize(options.max ?? 1),
      visibilityTimeoutMs: checkRange('visibilityTimeoutMs', options.visibilityTimeoutMs ?? attributes.visibilityTimeoutMs),
      deleteOnReceive: options.deleteOnReceive ?? false,
    };
    const waitMs = checkRange('receiveWaitMs', options.waitMs ?? attributes.receiveWaitMs);
    const doorbell = waitMs > 0 ? new Doorbell(ctx.layout.notify) : null;
    try {
      const waitUntil = this.env.clock.now() + waitMs;
      for (;;) {
        const { messages, nextDueAt } = await engineOf(ctx).claim(ctx, claimOptions, this.deadLetterTarget(ctx));
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
      moveIn: async (message) => {
        if (dlq === undefined) {
          try {
            dlq = this.open(policy.queue);
          } catch (error) {
            if (!isMqError(error, 'QUEUE_NOT_FOUND')) throw error;
            dlq = null;
          }
        }
        return dlq !== null && engineOf(dlq).adopt(dlq, message);
      },
    };
  }

  async ack(name: string, receipts: Receipt[]): Promise<AckOutcome[]> {
    const ctx = this.open(name);
    return engineOf(ctx).ack(ctx, receipts);
  }

  async changeVisibility(name: string, receipt: Receipt, timeoutMs: number): Promise<Receipt> {
    const ctx = this.open(name);
    return engineOf(ctx).changeVisibility(ctx, receipt, timeoutMs);
  }

  async peek(name: string, options: { max?: number } = {}): Promise<PeekedMessage[]> {
    const ctx = this.open(name);
    return engineOf(ctx).peek(ctx, checkBatchSize(options.max ?? 1));
  }

  async redrive(deadLetterQueue: string, options: RedriveOptions = {}): Promise<RedriveResult> {
    const dlq = this.open(deadLetterQueue);
    return redrive(dlq, this.sourcesOf(deadLetterQueue), options, {
      open: (name) => this.open(name),
      engineOf,
      newId: () => this.env.ids(this.env.clock.now()),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    });
  }
}
