// Sequence numbers: decimal strings of one width, so string order is numeric order. The layout is
// "1" + the shard's index in 12 digits + a per-shard counter in 20 digits. The counter starts at 1 and
// grows by one per record, so the number of records between two sequence numbers of a shard is a
// subtraction; counter 0 names the position before a shard's first record. A sequence number from
// another shard is recognised by its middle digits and refused.
import { invalidArgument } from './errors.js';
import { formatShardId } from './shard-ids.js';

export const SEQUENCE_DIGITS = 33;
const COUNTER_DIGITS = 20;
const SEQUENCE = /^1(\d{12})(\d{20})$/;

export interface SequenceParts {
  shardIndex: number;
  counter: number;
}

// The first 13 digits, shared by every sequence number of a shard.
export function sequencePrefix(shardIndex: number): string {
  return `1${String(shardIndex).padStart(12, '0')}`;
}

export function formatCounter(counter: number): string {
  return String(counter).padStart(COUNTER_DIGITS, '0');
}

export function formatSequence(shardIndex: number, counter: number): string {
  return sequencePrefix(shardIndex) + formatCounter(counter);
}

export function parseSequence(text: string): SequenceParts {
  const match = SEQUENCE.exec(text);
  const counter = match ? Number(match[2]) : NaN;
  if (!match || !Number.isSafeInteger(counter)) {
    throw invalidArgument(`invalid sequence number ${JSON.stringify(text)}: expected ${SEQUENCE_DIGITS} digits as printed by mq put`);
  }
  return { shardIndex: Number(match[1]), counter };
}

// The counter of `sequence`, which must belong to shard `shardIndex` (Kinesis refuses another shard's).
export function counterInShard(sequence: string, shardIndex: number): number {
  const parts = parseSequence(sequence);
  if (parts.shardIndex !== shardIndex) {
    throw invalidArgument(`sequence number ${sequence} belongs to ${formatShardId(parts.shardIndex)}, not ${formatShardId(shardIndex)}`);
  }
  return parts.counter;
}

// -1, 0 or 1 as sequence number a sorts before, with or after b (same width: string order).
export function compareSequences(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
