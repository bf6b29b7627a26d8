// queue.json: a queue's attributes and timestamps, replaced atomically on every change.
import { MqError } from '../../core/errors.js';
import type { QueueAttributes } from '../../core/queue-attributes.js';
import type { QueueInfo } from '../../core/queue-types.js';
import { validateQueueName } from '../../core/names.js';
import type { QueueLayout, StoreLayout } from '../layout.js';
import type { StoreEntity } from '../fs-env.js';
import { readFileIfExists, writeFileAtomic } from '../fs-util.js';

const FORMAT_VERSION = 1;

export function readQueueInfo(name: string, layout: QueueLayout): QueueInfo {
  const text = readFileIfExists(layout.config);
  if (text === null) throw new MqError('QUEUE_NOT_FOUND', `queue "${name}" does not exist`);
  return parseQueueInfo(name, text);
}

export function parseQueueInfo(name: string, text: string): QueueInfo {
  try {
    const record = JSON.parse(text) as { version: number; createdAt: number; updatedAt: number; attributes: QueueAttributes };
    if (record.version !== FORMAT_VERSION || typeof record.attributes !== 'object') throw new Error('unknown format');
    return { name, attributes: record.attributes, createdAt: record.createdAt, updatedAt: record.updatedAt };
  } catch (error) {
    throw new MqError('CORRUPT', `queue "${name}" has an unreadable queue.json`, { cause: error });
  }
}

export function formatQueueInfo(info: QueueInfo): string {
  const { attributes, createdAt, updatedAt } = info;
  return `${JSON.stringify({ version: FORMAT_VERSION, createdAt, updatedAt, attributes }, null, 2)}\n`;
}

export function writeQueueInfo(file: string, info: QueueInfo, durable: boolean): void {
  writeFileAtomic(file, formatQueueInfo(info), { durable });
}

// How the queue store opens a queue (fs-env.ts openEntity).
export const QUEUES: StoreEntity<QueueLayout, QueueInfo> = {
  noun: 'queue',
  notFound: 'QUEUE_NOT_FOUND',
  validate: validateQueueName,
  layoutOf: (store: StoreLayout, name: string) => store.queue(name),
  read: readQueueInfo,
};
