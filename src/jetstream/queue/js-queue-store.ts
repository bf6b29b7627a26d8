// QueueStore on NATS JetStream: each operation reads the queue's record from the metadata bucket and
// works on its stream (see queue-catalog.ts for the layout). Sending in send.ts, receiving in
// receive.ts, acks and visibility in acks.ts, counts and peeks in inspect.ts, redrive in redrive.ts.
import { MqError } from '../../core/errors.js';
import { validateQueueName } from '../../core/names.js';
import { type QueueAttributes, applyQueueAttributes, checkRedriveAllowed, newQueueAttributes } from '../../core/queue-attributes.js';
import { checkReceiveBatch, receiveSettings } from '../../core/receive-rules.js';
import type { QueueStore } from '../../core/queue-store.js';
import type {
  AckOutcome, CreateQueueResult, PeekedMessage, PurgeResult, QueueInfo, QueueStats, ReceiveOptions,
  ReceivedMessage, Receipt, RedriveOptions, RedriveResult, SendOptions, SendOutcome, SendRequest,
} from '../../core/queue-types.js';
import type { JetStreamEnv } from '../env.js';
import { isJsError, toMqError } from '../js-errors.js';
import { RecentAcks, ackReceipts, changeVisibility } from './acks.js';
import { peekMessages, statsOf } from './inspect.js';
import { type QueueRecord, type QueueRef, QueueCatalog } from './queue-catalog.js';
import { QueueReceiver } from './receive.js';
import { redriveDeadLetters } from './redrive.js';
import { sendMessages } from './send.js';

export class JetStreamQueueStore implements QueueStore {
  private readonly catalog: QueueCatalog;
  private readonly receiver: QueueReceiver;
  private readonly recentAcks = new RecentAcks();

  constructor(private readonly env: JetStreamEnv) {
    this.catalog = new QueueCatalog(env);
    this.receiver = new QueueReceiver(env, this.catalog);
  }

  async create(name: string, requested: Partial<QueueAttributes> = {}): Promise<CreateQueueResult> {
    validateQueueName(name);
    const attributes = newQueueAttributes(name, requested);
    if (attributes.deadLetter) await this.checkDeadLetterTarget(name, attributes);
    const now = this.env.clock.now();
    const record: QueueRecord = { name, attributes, createdAt: now, updatedAt: now };
    await this.env.meta.ensure();
    const revision = await this.env.meta.create(this.env.names.queueKey(name), record);
    if (revision !== null) {
      const ref = this.catalog.refOf(name, record, revision);
      await this.catalog.provision(ref);
      return { created: true, queue: record };
    }
    const existing = await this.catalog.require(name);
    // Tags are not part of a queue's identity: creating an existing queue leaves its tags as they are.
    const conflicts = (Object.keys(requested) as (keyof QueueAttributes)[]).filter(
      (key) => key !== 'tags' && requested[key] !== undefined && JSON.stringify(existing.info.attributes[key]) !== JSON.stringify(attributes[key]),
    );
    if (conflicts.length > 0) {
      throw new MqError('ALREADY_EXISTS', `queue "${name}" exists with different attributes: ${conflicts.join(', ')}`);
    }
    // Makes the stream and consumers again if a create was interrupted half-way.
    await this.catalog.provision(existing);
    return { created: false, queue: existing.info };
  }

  async update(name: string, changes: Partial<QueueAttributes>): Promise<QueueInfo> {
    for (;;) {
      const ref = await this.catalog.require(name);
      const attributes = applyQueueAttributes(name, ref.info.attributes, changes);
      if (changes.deadLetter) await this.checkDeadLetterTarget(name, attributes);
      const record: QueueRecord = { ...ref.info, attributes, updatedAt: this.env.clock.now() };
      const revision = await this.env.meta.update(this.env.names.queueKey(name), record, ref.revision);
      if (revision === null) continue;
      await this.catalog.provision(this.catalog.refOf(name, record, revision));
      return record;
    }
  }

  // A dead-letter queue must exist, be of the same type (FIFO with FIFO) and allow this queue as a source.
  private async checkDeadLetterTarget(name: string, attributes: QueueAttributes): Promise<void> {
    const target = attributes.deadLetter!.queue;
    const dlq = await this.catalog.require(target);
    if (dlq.info.attributes.fifo !== attributes.fifo) {
      throw new MqError('INVALID_ARGUMENT', `dead-letter queue "${target}" must be ${attributes.fifo ? 'a FIFO' : 'a standard'} queue like "${name}"`);
    }
    checkRedriveAllowed(name, target, dlq.info.attributes.redriveAllow);
  }

  async get(name: string): Promise<QueueInfo> {
    return (await this.catalog.require(name)).info;
  }

  async list(prefix = ''): Promise<QueueInfo[]> {
    return this.catalog.list(prefix);
  }

  async remove(name: string): Promise<void> {
    const ref = await this.catalog.require(name);
    // The stream first: a queue made again under this name must not find the old messages.
    await this.env.client.api(`STREAM.DELETE.${ref.stream}`).catch((error: unknown) => {
      if (!isJsError(error, 10059)) throw toMqError(error, this.env.client.where);
    });
    if (!(await this.env.meta.delete(this.env.names.queueKey(name), ref.revision))) {
      throw new MqError('QUEUE_NOT_FOUND', `queue "${name}" does not exist`);
    }
  }

  async purge(name: string, options: { onProgress?: (removed: number) => void } = {}): Promise<PurgeResult> {
    const ref = await this.catalog.require(name);
    const { purged } = await this.env.client.api<{ purged: number }>(`STREAM.PURGE.${ref.stream}`, {});
    options.onProgress?.(purged);
    return { purged };
  }

  async stats(name: string): Promise<QueueStats> {
    const ref = await this.catalog.require(name);
    return statsOf(this.env, ref, (n) => this.sourcesOf(n), (n) => this.catalog.find(n));
  }

  private async sourcesOf(name: string): Promise<string[]> {
    return (await this.catalog.list()).filter((info) => info.attributes.deadLetter?.queue === name).map((info) => info.name);
  }

  async send(name: string, requests: SendRequest[], options: SendOptions = {}): Promise<SendOutcome[]> {
    return sendMessages(this.env, await this.catalog.require(name), requests, options);
  }

  async receive(name: string, options: ReceiveOptions = {}): Promise<ReceivedMessage[]> {
    const ref = await this.catalog.require(name);
    return this.receiver.receive(ref, { ...receiveSettings(ref.info.attributes, options), ...(options.signal ? { signal: options.signal } : {}) });
  }

  async ack(name: string, receipts: Receipt[]): Promise<AckOutcome[]> {
    return ackReceipts(this.env, await this.catalog.require(name), receipts, this.recentAcks);
  }

  async changeVisibility(name: string, receipt: Receipt, timeoutMs: number): Promise<Receipt> {
    return changeVisibility(this.env, await this.catalog.require(name), receipt, timeoutMs, this.recentAcks);
  }

  async peek(name: string, options: { max?: number } = {}): Promise<PeekedMessage[]> {
    return peekMessages(this.env, await this.catalog.require(name), checkReceiveBatch(options.max ?? 1));
  }

  async redrive(deadLetterQueue: string, options: RedriveOptions = {}): Promise<RedriveResult> {
    const dlq: QueueRef = await this.catalog.require(deadLetterQueue);
    return redriveDeadLetters(this.env, dlq, await this.sourcesOf(deadLetterQueue), options, (n) => this.catalog.find(n));
  }
}
