// QueueStore on the file system: each operation opens the queue (reads queue.json) and hands the work to
// the engine of its type (standard or FIFO). No lock is taken on the receive or ack paths.
import { MqError, isMqError } from '../../core/errors.js';
import { validateQueueName } from '../../core/names.js';
import { QUEUE_LIMITS, type QueueAttributes, applyQueueAttributes, checkQueueMatches, checkRedriveAllowed, newQueueAttributes } from '../../core/queue-attributes.js';
import { checkReceiveBatch, receiveSettings } from '../../core/receive-rules.js';
import { checkSends, sendOutcomes } from '../../core/send-rules.js';
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
import { type ClaimOptions, type DeadLetterTarget, PublishFailure, type QueueEngine } from './engine.js';
import { standardEngine } from './standard/index.js';
import { fifoEngine } from './fifo/index.js';
import { redrive } from './redrive.js';
import { syncDeletions } from './claimed.js';
import { Doorbell } from '../doorbell.js';
import { openStoreRoot, prepareStoreRoot, refuseLink } from '../store-root.js';

function engineOf(ctx: QueueContext): QueueEngine {
  return ctx.info.attributes.fifo ? fifoEngine : standardEngine;
}

export class FsQueueStore implements QueueStore {
  constructor(private readonly env: FsStoreEnv) {}

  private get rootOptions() {
    return { allowNetworkFileSystem: this.env.allowNetworkFileSystem ?? false };
  }

  // Only `create` makes the store; everything else finds it there or reports the queue missing.
  private openRoot(name: string): void {
    if (!openStoreRoot(this.env.store.root, this.rootOptions)) throw new MqError('QUEUE_NOT_FOUND', `queue "${name}" does not exist (no store there)`);
  }

  private open(name: string): QueueContext {
    validateQueueName(name);
    this.openRoot(name);
    const layout = this.env.store.queue(name);
    refuseLink(layout.dir, 'queue directory');
    const info = readQueueInfo(name, layout);
    return { env: this.env, name, layout, info, durable: durableFor(this.env, info) };
  }

  async create(name: string, requested: Partial<QueueAttributes> = {}): Promise<CreateQueueResult> {
    validateQueueName(name);
    prepareStoreRoot(this.env.store.root, this.rootOptions);
    const attributes = newQueueAttributes(name, requested);
    if (attributes.deadLetter) this.checkDeadLetterTarget(name, attributes);
    const now = this.env.clock.now();
    const info: QueueInfo = { name, attributes, createdAt: now, updatedAt: now };
    if (createQueueDir(this.env.store, info, durableFor(this.env, info))) return { created: true, queue: info };
    const existing = this.open(name).info;
    checkQueueMatches(name, existing.attributes, requested, attributes);
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
    if (!openStoreRoot(this.env.store.root, this.rootOptions)) return [];
    return listQueueInfos(this.env.store, prefix);
  }

  async remove(name: string): Promise<void> {
    validateQueueName(name);
    this.openRoot(name);
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
    const checked = checkSends(name, ctx.info.attributes, requests, now, options.atomic);
    const outgoing = checked.flatMap((entry) => (entry instanceof MqError ? [] : [{ ...entry, id: this.env.ids(now) }]));
    try {
      return sendOutcomes(checked, await engineOf(ctx).publish(ctx, outgoing));
    } catch (error) {
      // Part of the batch may be stored (a disk that filled up half-way): report exactly that part.
      if (!(error instanceof PublishFailure)) throw error;
      if (error.results.length === 0) throw error.error;
      return sendOutcomes(checked, error.results, error.error);
    }
  }

  async receive(name: string, options: ReceiveOptions = {}): Promise<ReceivedMessage[]> {
    let ctx = this.open(name);
    const { waitMs, ...settings } = receiveSettings(ctx.info.attributes, options);
    const claimOptions: ClaimOptions = { ...settings, ...(settings.deleteOnReceive ? { deletedFrom: new Set<string>() } : {}) };
    const doorbell = waitMs > 0 ? new Doorbell(ctx.layout.notify) : null;
    try {
      const waitUntil = this.env.clock.now() + waitMs;
      for (;;) {
        const { messages, nextDueAt } = await engineOf(ctx).claim(ctx, claimOptions, this.deadLetterTarget(ctx));
        if (claimOptions.deletedFrom && ctx.durable) syncDeletions(claimOptions.deletedFrom);
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
    return engineOf(ctx).peek(ctx, checkReceiveBatch(options.max ?? QUEUE_LIMITS.receiveBatch.default));
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
