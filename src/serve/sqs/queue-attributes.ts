// Queue attributes as SQS names them (strings on the wire: seconds, bytes, JSON policies) and as mq
// keeps them (QueueAttributes: milliseconds, a dead-letter policy by queue name). Unknown names are
// InvalidAttributeName, bad values InvalidAttributeValue, as SQS answers.
import type { QueueAttributes, RedriveAllowPolicy } from '../../core/queue-attributes.js';
import type { QueueInfo, QueueStats } from '../../core/queue-types.js';
import { ApiError } from '../api/api-error.js';
import { queueArn, queueNameFromArn } from './queue-urls.js';

type Seconds = 'VisibilityTimeout' | 'DelaySeconds' | 'MessageRetentionPeriod' | 'ReceiveMessageWaitTimeSeconds';

const SECONDS: Record<Seconds, 'visibilityTimeoutMs' | 'delayMs' | 'retentionMs' | 'receiveWaitMs'> = {
  VisibilityTimeout: 'visibilityTimeoutMs',
  DelaySeconds: 'delayMs',
  MessageRetentionPeriod: 'retentionMs',
  ReceiveMessageWaitTimeSeconds: 'receiveWaitMs',
};

// Accepted and not kept: encryption and access policy mean nothing for a local store.
const IGNORED = new Set(['Policy', 'KmsMasterKeyId', 'KmsDataKeyReusePeriodSeconds', 'SqsManagedSseEnabled']);

const COUNTS = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'];
const READ_ONLY = ['QueueArn', 'CreatedTimestamp', 'LastModifiedTimestamp', ...COUNTS];
const SETTABLE = [
  ...Object.keys(SECONDS), 'MaximumMessageSize', 'RedrivePolicy', 'RedriveAllowPolicy', 'FifoQueue', 'ContentBasedDeduplication',
  'DeduplicationScope', 'FifoThroughputLimit', ...IGNORED,
];
export const QUEUE_ATTRIBUTE_NAMES = new Set(['All', ...READ_ONLY, ...SETTABLE]);

export function invalidAttributeValue(name: string, reason: string): ApiError {
  return new ApiError('InvalidAttributeValue', `Invalid value for the parameter ${name}. Reason: ${reason}`);
}

// The attributes of a CreateQueue or SetQueueAttributes request, as mq's attributes.
export function parseQueueAttributes(input: Record<string, string>, creating: boolean): Partial<QueueAttributes> {
  const out: Partial<QueueAttributes> = {};
  for (const [name, value] of Object.entries(input)) {
    if (name in SECONDS) out[SECONDS[name as Seconds]] = wholeNumber(name, value) * 1000;
    else if (name === 'MaximumMessageSize') out.maxMessageBytes = wholeNumber(name, value);
    else if (name === 'RedrivePolicy') out.deadLetter = parseRedrivePolicy(value);
    else if (name === 'RedriveAllowPolicy') out.redriveAllow = parseRedriveAllowPolicy(value);
    else if (name === 'FifoQueue') {
      if (!creating) throw invalidAttributeValue(name, 'the queue type cannot change.');
      out.fifo = bool(name, value);
    } else if (name === 'ContentBasedDeduplication') out.contentDedup = bool(name, value);
    else if (name === 'DeduplicationScope') {
      if (value !== 'queue' && value !== 'messageGroup') throw invalidAttributeValue(name, 'use queue or messageGroup.');
      out.dedupScope = value === 'messageGroup' ? 'group' : 'queue';
    } else if (name === 'FifoThroughputLimit') {
      if (value !== 'perQueue' && value !== 'perMessageGroupId') throw invalidAttributeValue(name, 'use perQueue or perMessageGroupId.');
      // A local queue has no throughput limit; perMessageGroupId is only allowed with messageGroup scope.
      if (value === 'perMessageGroupId' && input.DeduplicationScope !== undefined && input.DeduplicationScope !== 'messageGroup') {
        throw invalidAttributeValue(name, 'perMessageGroupId needs DeduplicationScope messageGroup.');
      }
    } else if (!IGNORED.has(name)) {
      throw new ApiError('InvalidAttributeName', `Unknown Attribute ${name}.`);
    }
  }
  return out;
}

function wholeNumber(name: string, value: string): number {
  if (!/^\d{1,10}$/.test(value)) throw invalidAttributeValue(name, 'it must be a whole number.');
  return Number(value);
}

function bool(name: string, value: string): boolean {
  if (value !== 'true' && value !== 'false') throw invalidAttributeValue(name, 'use true or false.');
  return value === 'true';
}

function parseJsonObject(name: string, value: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(value) as unknown;
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw invalidAttributeValue(name, 'it must be a JSON object.');
}

// {"deadLetterTargetArn":"arn:...:dlq","maxReceiveCount":5}; an empty value removes the policy.
function parseRedrivePolicy(value: string): QueueAttributes['deadLetter'] {
  if (value === '') return null;
  const policy = parseJsonObject('RedrivePolicy', value);
  const arn = policy.deadLetterTargetArn;
  const count = typeof policy.maxReceiveCount === 'string' ? Number(policy.maxReceiveCount) : policy.maxReceiveCount;
  if (typeof arn !== 'string') throw invalidAttributeValue('RedrivePolicy', 'deadLetterTargetArn is required.');
  if (typeof count !== 'number' || !Number.isInteger(count)) throw invalidAttributeValue('RedrivePolicy', 'maxReceiveCount must be a whole number.');
  return { queue: queueNameFromArn(arn, 'RedrivePolicy'), maxReceives: count };
}

// {"redrivePermission":"byQueue","sourceQueueArns":["arn:..."]}; an empty value restores allowAll.
function parseRedriveAllowPolicy(value: string): RedriveAllowPolicy {
  if (value === '') return { permission: 'allowAll' };
  const policy = parseJsonObject('RedriveAllowPolicy', value);
  const permission = policy.redrivePermission;
  if (permission !== 'allowAll' && permission !== 'denyAll' && permission !== 'byQueue') {
    throw invalidAttributeValue('RedriveAllowPolicy', 'redrivePermission must be allowAll, denyAll or byQueue.');
  }
  const arns = policy.sourceQueueArns;
  if (arns !== undefined && (!Array.isArray(arns) || arns.some((arn) => typeof arn !== 'string'))) {
    throw invalidAttributeValue('RedriveAllowPolicy', 'sourceQueueArns must be a list of queue ARNs.');
  }
  const sourceQueues = ((arns ?? []) as string[]).map((arn) => queueNameFromArn(arn, 'RedriveAllowPolicy'));
  return permission === 'byQueue' || sourceQueues.length > 0 ? { permission, sourceQueues } : { permission };
}

// Whether answering `names` needs the queue's message counts (a scan of the queue).
export function needsCounts(names: string[]): boolean {
  return names.some((name) => name === 'All' || COUNTS.includes(name));
}

// The requested attributes as SQS reports them (`All` for everything); nothing when none are named.
export function describeQueueAttributes(info: QueueInfo, names: string[], region: string, stats: QueueStats | null): Record<string, string> {
  const a = info.attributes;
  const all: Record<string, string | undefined> = {
    QueueArn: queueArn(region, info.name),
    ApproximateNumberOfMessages: stats ? String(stats.visible) : undefined,
    ApproximateNumberOfMessagesNotVisible: stats ? String(stats.inFlight) : undefined,
    ApproximateNumberOfMessagesDelayed: stats ? String(stats.delayed) : undefined,
    CreatedTimestamp: String(Math.floor(info.createdAt / 1000)),
    LastModifiedTimestamp: String(Math.floor(info.updatedAt / 1000)),
    VisibilityTimeout: String(a.visibilityTimeoutMs / 1000),
    MaximumMessageSize: String(a.maxMessageBytes),
    MessageRetentionPeriod: String(a.retentionMs / 1000),
    DelaySeconds: String(a.delayMs / 1000),
    ReceiveMessageWaitTimeSeconds: String(a.receiveWaitMs / 1000),
    SqsManagedSseEnabled: 'false',
    RedrivePolicy: a.deadLetter
      ? JSON.stringify({ deadLetterTargetArn: queueArn(region, a.deadLetter.queue), maxReceiveCount: a.deadLetter.maxReceives })
      : undefined,
    RedriveAllowPolicy: a.redriveAllow
      ? JSON.stringify({
        redrivePermission: a.redriveAllow.permission,
        ...(a.redriveAllow.sourceQueues ? { sourceQueueArns: a.redriveAllow.sourceQueues.map((name) => queueArn(region, name)) } : {}),
      })
      : undefined,
    FifoQueue: a.fifo ? 'true' : undefined,
    ContentBasedDeduplication: a.fifo ? String(a.contentDedup) : undefined,
    DeduplicationScope: a.fifo ? (a.dedupScope === 'group' ? 'messageGroup' : 'queue') : undefined,
    FifoThroughputLimit: a.fifo ? (a.dedupScope === 'group' ? 'perMessageGroupId' : 'perQueue') : undefined,
  };
  const wanted = names.includes('All') ? Object.keys(all) : names;
  const out: Record<string, string> = {};
  for (const name of wanted) {
    const value = all[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}
