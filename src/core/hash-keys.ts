// The 128-bit hash key space of a stream, as Kinesis defines it: a record's hash key is the MD5 digest of
// its partition key read as an unsigned big-endian integer, or an explicit decimal hash key. Keys are
// handled as 32-digit lowercase hex strings, whose string order is their numeric order, so routing a
// record compares strings instead of building a BigInt per record.
import { hashHex } from './lazy-crypto.js';
import { invalidArgument } from './errors.js';

export const HASH_KEY_SPACE = 1n << 128n;
export const MAX_HASH_KEY = HASH_KEY_SPACE - 1n;

// An inclusive range of hash keys.
export interface HashKeyRange {
  start: bigint;
  end: bigint;
}

// N ranges exactly covering 0..2^128-1: range i starts at floor(2^128/N)*i, the last one ends at 2^128-1.
export function evenHashRanges(count: number): HashKeyRange[] {
  if (!Number.isInteger(count) || count < 1) throw invalidArgument(`shard count must be a positive integer, got ${count}`);
  const width = HASH_KEY_SPACE / BigInt(count);
  return Array.from({ length: count }, (_, i) => ({
    start: width * BigInt(i),
    end: i === count - 1 ? MAX_HASH_KEY : width * BigInt(i + 1) - 1n,
  }));
}

const EXPLICIT_HASH_KEY = /^(0|[1-9]\d{0,38})$/;

// An explicit hash key: a decimal integer in 0..2^128-1, without sign or leading zeros.
export function parseExplicitHashKey(text: string): bigint {
  if (!EXPLICIT_HASH_KEY.test(text)) {
    throw invalidArgument(`invalid explicit hash key ${JSON.stringify(text)}: use a decimal integer from 0 to ${MAX_HASH_KEY}`);
  }
  const key = BigInt(text);
  if (key > MAX_HASH_KEY) throw invalidArgument(`explicit hash key ${text} is larger than 2^128-1 (${MAX_HASH_KEY})`);
  return key;
}

// A hash key as the 32-digit hex string routing compares.
export function hashKeyHex(key: bigint): string {
  return key.toString(16).padStart(32, '0');
}

const md5Hex = (text: string): string => hashHex('md5', text);

// The hash key of a partition key, as 32 hex digits: MD5 of its UTF-8 bytes.
export function partitionKeyHashHex(partitionKey: string): string {
  return md5Hex(partitionKey);
}

export function partitionKeyHash(partitionKey: string): bigint {
  return BigInt(`0x${md5Hex(partitionKey)}`);
}
