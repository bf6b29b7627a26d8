// Stream attributes: the Kinesis defaults and ranges (retention 24 h..8,760 h, records up to 1 MiB by
// default and 10 MiB at most), the rules for changing retention, and what "expired" means. Pure.
import { type AttributeConflict, attributeConflicts, existsWithOtherAttributes, invalidArgument } from './errors.js';
import { HOUR } from './queue-attributes.js';
import { DEFAULT_DURABILITY, type Durability, checkDurability } from './durability.js';
import { formatSize } from './units.js';

export interface StreamAttributes {
  retentionMs: number;
  // Largest record accepted: data plus partition key, in UTF-8 bytes.
  maxRecordBytes: number;
  // How safe a put is once acknowledged (core/durability.ts).
  durability: Durability;
}

export interface CreateStreamOptions extends Partial<StreamAttributes> {
  shardCount?: number;
}

const MIB = 1024 * 1024;

export const STREAM_LIMITS = {
  retentionMs: { min: 24 * HOUR, max: 8760 * HOUR, default: 24 * HOUR },
  maxRecordBytes: { min: MIB, max: 10 * MIB, default: MIB },
  shardCount: { min: 1, max: 1000, default: 1 },
  // GetRecords returns at most this many records per call.
  readLimit: { min: 1, max: 10_000, default: 10_000 },
} as const;

export function defaultStreamAttributes(): StreamAttributes {
  return {
    retentionMs: STREAM_LIMITS.retentionMs.default,
    maxRecordBytes: STREAM_LIMITS.maxRecordBytes.default,
    durability: DEFAULT_DURABILITY,
  };
}

// Retention in hours, as Kinesis states it ("24h", "8760h", "36.5h").
export function formatHours(ms: number): string {
  return `${Math.round((ms / HOUR) * 1000) / 1000}h`;
}

function checkRetention(ms: number): number {
  const { min, max } = STREAM_LIMITS.retentionMs;
  if (!Number.isInteger(ms) || ms < min || ms > max) {
    throw invalidArgument(`retention must be between ${formatHours(min)} and ${formatHours(max)}, got ${formatHours(ms)}`);
  }
  return ms;
}

export function checkShardCount(count: number): number {
  const { min, max } = STREAM_LIMITS.shardCount;
  if (!Number.isInteger(count) || count < min || count > max) {
    throw invalidArgument(`shard count must be between ${min} and ${max}, got ${count}`);
  }
  return count;
}

// How many records one read returns at most: 1..10,000, all of them by default (GetRecords' Limit).
export function checkReadLimit(limit: number | undefined): number {
  const { min, max, default: fallback } = STREAM_LIMITS.readLimit;
  const value = limit ?? fallback;
  if (!Number.isInteger(value) || value < min || value > max) throw invalidArgument(`limit must be between ${min} and ${max}, got ${value}`);
  return value;
}

// The attributes a new stream is created with: defaults for whatever is not given, each checked.
export function newStreamAttributes(requested: Partial<StreamAttributes>): StreamAttributes {
  const attributes = { ...defaultStreamAttributes(), ...definedOnly(requested) };
  checkRetention(attributes.retentionMs);
  const { min, max } = STREAM_LIMITS.maxRecordBytes;
  if (!Number.isInteger(attributes.maxRecordBytes) || attributes.maxRecordBytes < min || attributes.maxRecordBytes > max) {
    throw invalidArgument(`maximum record size must be between ${formatSize(min)} and ${formatSize(max)}, got ${formatSize(attributes.maxRecordBytes)}`);
  }
  checkDurability(attributes.durability);
  return attributes;
}

// Increase/DecreaseStreamRetentionPeriod as one call: a longer retention must stay within 8,760 h, a
// shorter one at or above 24 h. Asking for the current value is a no-op (Kinesis would refuse it as
// neither an increase nor a decrease; mq keeps the command idempotent for scripts).
export function checkRetentionChange(currentMs: number, requestedMs: number): number {
  if (requestedMs === currentMs) return requestedMs;
  const { min, max } = STREAM_LIMITS.retentionMs;
  if (requestedMs > currentMs && requestedMs > max) {
    throw invalidArgument(`cannot increase retention to ${formatHours(requestedMs)}: the maximum is ${formatHours(max)}`);
  }
  if (requestedMs < currentMs && requestedMs < min) {
    throw invalidArgument(`cannot decrease retention to ${formatHours(requestedMs)}: the minimum is ${formatHours(min)}`);
  }
  return checkRetention(requestedMs);
}

// Records that arrived at or before this time are expired. `trimmedBefore` keeps records hidden that
// were expired when retention was last changed, so an increase never brings expired records back.
export function retentionCutoff(nowMs: number, retentionMs: number, trimmedBefore = 0): number {
  return Math.max(nowMs - retentionMs, trimmedBefore);
}

export function isExpired(arrivedAt: number, cutoff: number): boolean {
  return arrivedAt <= cutoff;
}

function definedOnly<T extends object>(value: Partial<T>): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

// A create of a stream that exists: ALREADY_EXISTS when an attribute given (or the shard count, compared
// with the shards the stream was created with) differs from the stream's.
export function checkStreamMatches(
  name: string,
  existing: StreamAttributes & { shardCount: number },
  requested: CreateStreamOptions,
  asCreated: StreamAttributes & { shardCount: number },
): void {
  const conflicts = attributeConflicts(existing, requested, asCreated);
  if (conflicts.length > 0) throw existsWithOtherAttributes(`stream "${name}"`, conflicts, describeStreamConflict);
}

const STREAM_ATTRIBUTE_LABELS: Record<keyof CreateStreamOptions, [string, (value: never) => string]> = {
  shardCount: ['shard count', String],
  retentionMs: ['retention', formatHours],
  maxRecordBytes: ['maximum record size', formatSize],
  durability: ['durability', String],
};

function describeStreamConflict({ attribute, existing, requested }: AttributeConflict): string {
  const [label, format] = STREAM_ATTRIBUTE_LABELS[attribute as keyof CreateStreamOptions] as [string, (value: unknown) => string];
  return `${label} is ${format(existing)}, not ${format(requested)}`;
}
