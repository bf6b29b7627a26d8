// Queue attributes: the defaults and ranges of SQS (as of 2025), and the pure checks of a requested
// setting against them. Times are milliseconds, sizes bytes.
import { type AttributeConflict, MqError, attributeConflicts, existsWithOtherAttributes, invalidArgument } from './errors.js';
import { formatDuration, formatSize } from './units.js';
import { isFifoQueueName } from './names.js';
import { DEFAULT_DURABILITY, type Durability } from './durability.js';

export type DedupScope = 'queue' | 'group';

export interface DeadLetterPolicy {
  queue: string;
  maxReceives: number;
}

// Which queues may name this queue as their dead-letter queue (SQS's RedriveAllowPolicy): any queue
// of its type, none, or those listed (1-10 names).
export interface RedriveAllowPolicy {
  permission: 'allowAll' | 'denyAll' | 'byQueue';
  sourceQueues?: string[];
}

export interface QueueAttributes {
  fifo: boolean;
  visibilityTimeoutMs: number;
  retentionMs: number;
  delayMs: number;
  maxMessageBytes: number;
  receiveWaitMs: number;
  // How safe a send is once acknowledged (core/durability.ts).
  durability: Durability;
  deadLetter: DeadLetterPolicy | null;
  contentDedup: boolean;
  dedupScope: DedupScope;
  // Cost-allocation tags of SQS, kept for the API (TagQueue, ListQueueTags); absent: none.
  tags?: Record<string, string>;
  // Absent: allowAll.
  redriveAllow?: RedriveAllowPolicy;
}

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const QUEUE_LIMITS = {
  visibilityTimeoutMs: { min: 0, max: 12 * HOUR, default: 30 * SECOND },
  retentionMs: { min: 60 * SECOND, max: 14 * DAY, default: 4 * DAY },
  delayMs: { min: 0, max: 15 * MINUTE, default: 0 },
  maxMessageBytes: { min: 1024, max: 1024 * 1024, default: 1024 * 1024 },
  receiveWaitMs: { min: 0, max: 20 * SECOND, default: 0 },
  maxReceives: { min: 1, max: 1000 },
  // Messages one receive or peek takes: SQS allows 10; mq allows many, since a process start costs far
  // more than a receive.
  receiveBatch: { min: 1, max: 10_000, default: 1 },
} as const;

// The longest a message may stay in flight, counted from the receive that took it (SQS: 12 h).
export const MAX_IN_FLIGHT_MS = 12 * HOUR;
// Tags: at most 50 per queue, keys 1-128 characters, values up to 256; the aws: prefix is reserved.
export const TAG_LIMITS = { count: 50, keyLength: 128, valueLength: 256 } as const;
// A byQueue redrive-allow policy names 1-10 source queues.
export const MAX_REDRIVE_ALLOW_SOURCES = 10;

// At most this many message attributes (SQS: 10).
export const MAX_MESSAGE_ATTRIBUTES = 10;

export function defaultQueueAttributes(name: string): QueueAttributes {
  return {
    fifo: isFifoQueueName(name),
    visibilityTimeoutMs: QUEUE_LIMITS.visibilityTimeoutMs.default,
    retentionMs: QUEUE_LIMITS.retentionMs.default,
    delayMs: QUEUE_LIMITS.delayMs.default,
    maxMessageBytes: QUEUE_LIMITS.maxMessageBytes.default,
    receiveWaitMs: QUEUE_LIMITS.receiveWaitMs.default,
    durability: DEFAULT_DURABILITY,
    deadLetter: null,
    contentDedup: false,
    dedupScope: 'queue',
  };
}

type RangedKey = 'visibilityTimeoutMs' | 'retentionMs' | 'delayMs' | 'maxMessageBytes' | 'receiveWaitMs';

const RANGE_LABELS: Record<RangedKey, [string, (value: number) => string]> = {
  visibilityTimeoutMs: ['visibility timeout', formatDuration],
  retentionMs: ['retention', formatDuration],
  delayMs: ['delay', formatDuration],
  maxMessageBytes: ['maximum message size', formatSize],
  receiveWaitMs: ['receive wait', formatDuration],
};

// Throws INVALID_ARGUMENT when `value` is outside the SQS range of attribute `key`.
export function checkRange(key: RangedKey, value: number): number {
  const { min, max } = QUEUE_LIMITS[key];
  if (!Number.isInteger(value) || value < min || value > max) {
    const [label, format] = RANGE_LABELS[key];
    throw invalidArgument(`${label} must be between ${format(min)} and ${format(max)}, got ${format(value)}`);
  }
  return value;
}

// Applies `changes` to `current` and checks the result; the queue type can never change.
export function applyQueueAttributes(
  name: string,
  current: QueueAttributes,
  changes: Partial<QueueAttributes>,
): QueueAttributes {
  if (changes.fifo !== undefined && changes.fifo !== current.fifo) {
    throw invalidArgument(`the queue type cannot change: "${name}" is a ${current.fifo ? 'FIFO' : 'standard'} queue`);
  }
  const next: QueueAttributes = { ...current, ...definedOnly(changes) };
  for (const key of Object.keys(RANGE_LABELS) as RangedKey[]) checkRange(key, next[key]);
  if (next.deadLetter) {
    const { min, max } = QUEUE_LIMITS.maxReceives;
    if (!Number.isInteger(next.deadLetter.maxReceives) || next.deadLetter.maxReceives < min || next.deadLetter.maxReceives > max) {
      throw invalidArgument(`max receives must be between ${min} and ${max}, got ${next.deadLetter.maxReceives}`);
    }
    if (next.deadLetter.queue === name) throw invalidArgument(`queue "${name}" cannot be its own dead-letter queue`);
  }
  if (next.tags) checkTags(next.tags);
  if (next.redriveAllow) checkRedriveAllowPolicy(next.redriveAllow);
  if (!next.fifo && (next.contentDedup || next.dedupScope !== 'queue')) {
    throw invalidArgument(`content-based deduplication and dedup scope apply to FIFO queues only`);
  }
  return next;
}

export function checkTags(tags: Record<string, string>): void {
  const keys = Object.keys(tags);
  if (keys.length > TAG_LIMITS.count) throw invalidArgument(`a queue has at most ${TAG_LIMITS.count} tags, got ${keys.length}`);
  for (const key of keys) {
    if (key.length < 1 || key.length > TAG_LIMITS.keyLength) throw invalidArgument(`a tag key has 1-${TAG_LIMITS.keyLength} characters, got ${key.length}`);
    if (/^aws:/i.test(key)) throw invalidArgument(`tag keys starting with aws: are reserved: ${JSON.stringify(key)}`);
    const value = tags[key];
    if (typeof value !== 'string' || value.length > TAG_LIMITS.valueLength) {
      throw invalidArgument(`the value of tag ${JSON.stringify(key)} must be text of at most ${TAG_LIMITS.valueLength} characters`);
    }
  }
}

export function checkRedriveAllowPolicy(policy: RedriveAllowPolicy): void {
  const sources = policy.sourceQueues ?? [];
  if (!['allowAll', 'denyAll', 'byQueue'].includes(policy.permission)) {
    throw invalidArgument(`redrive permission must be allowAll, denyAll or byQueue, got ${JSON.stringify(policy.permission)}`);
  }
  if (policy.permission === 'byQueue' && (sources.length < 1 || sources.length > MAX_REDRIVE_ALLOW_SOURCES)) {
    throw invalidArgument(`a byQueue redrive-allow policy names 1-${MAX_REDRIVE_ALLOW_SOURCES} source queues, got ${sources.length}`);
  }
  if (policy.permission !== 'byQueue' && sources.length > 0) {
    throw invalidArgument(`source queues are given only with the byQueue redrive permission`);
  }
}

// Throws unless the redrive-allow policy of dead-letter queue `dlq` lets queue `source` name it.
export function checkRedriveAllowed(source: string, dlq: string, policy: RedriveAllowPolicy | undefined): void {
  if (!policy || policy.permission === 'allowAll') return;
  if (policy.permission === 'byQueue' && policy.sourceQueues?.includes(source)) return;
  throw invalidArgument(`queue "${dlq}" does not allow "${source}" to use it as its dead-letter queue (its redrive-allow policy is ${policy.permission})`);
}

// Checks the attributes a new queue is created with (defaults for whatever is not given).
export function newQueueAttributes(name: string, requested: Partial<QueueAttributes>): QueueAttributes {
  const defaults = defaultQueueAttributes(name);
  if (requested.fifo !== undefined && requested.fifo !== defaults.fifo) {
    throw new MqError(
      'INVALID_ARGUMENT',
      requested.fifo
        ? `a FIFO queue name must end in .fifo: "${name}"`
        : `a queue named "${name}" ends in .fifo and so is a FIFO queue`,
    );
  }
  return applyQueueAttributes(name, defaults, requested);
}

// The attributes in which two settings differ (used to refuse a create that conflicts with an existing queue).
export function differingAttributes(a: QueueAttributes, b: QueueAttributes): string[] {
  return (Object.keys(a) as (keyof QueueAttributes)[]).filter(
    (key) => JSON.stringify(a[key]) !== JSON.stringify(b[key]),
  );
}

function definedOnly<T extends object>(value: Partial<T>): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

// A create of a queue that exists: ALREADY_EXISTS when an attribute given differs from the queue's.
export function checkQueueMatches(name: string, existing: QueueAttributes, requested: Partial<QueueAttributes>, asCreated: QueueAttributes): void {
  // Tags are not part of a queue's identity: creating an existing queue leaves its tags as they are.
  const conflicts = attributeConflicts(existing, requested, asCreated).filter(({ attribute }) => attribute !== 'tags');
  if (conflicts.length > 0) throw existsWithOtherAttributes(`queue "${name}"`, conflicts, describeQueueConflict);
}

function describeQueueConflict({ attribute, existing, requested }: AttributeConflict): string {
  const key = attribute as keyof QueueAttributes;
  const value = (v: unknown): string => {
    if (key in RANGE_LABELS) return RANGE_LABELS[key as RangedKey][1](v as number);
    if (key === 'deadLetter') return v === null ? 'none' : `${(v as DeadLetterPolicy).queue} after ${(v as DeadLetterPolicy).maxReceives} receives`;
    if (typeof v === 'boolean') return v ? 'on' : 'off';
    return String(v);
  };
  const label = key in RANGE_LABELS ? RANGE_LABELS[key as RangedKey][0] : QUEUE_ATTRIBUTE_LABELS[key] ?? key;
  return `${label} is ${value(existing)}, not ${value(requested)}`;
}

const QUEUE_ATTRIBUTE_LABELS: Partial<Record<keyof QueueAttributes, string>> = {
  durability: 'durability',
  deadLetter: 'dead-letter policy',
  contentDedup: 'content-based deduplication',
  dedupScope: 'dedup scope',
};
