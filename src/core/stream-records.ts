// Rules of one record before it is put, as Kinesis defines them: a partition key of 1-256 characters,
// and data plus key within the stream's maximum record size (checked in their order by stream-routing.ts).
// Also the random partition keys used when a producer gives none.
import { MqError, invalidArgument } from './errors.js';
import { formatSize } from './units.js';

export const MAX_PARTITION_KEY_CHARS = 256;

export function checkPartitionKey(key: string): string {
  // key.length counts UTF-16 units, never fewer than characters: only a long key needs counting.
  const chars = key.length <= MAX_PARTITION_KEY_CHARS ? key.length : [...key].length;
  if (chars === 0) throw invalidArgument('partition key is empty');
  if (chars > MAX_PARTITION_KEY_CHARS) throw invalidArgument(`partition key is ${chars} characters, more than ${MAX_PARTITION_KEY_CHARS}`);
  return key;
}

// A record over the stream's maximum: Kinesis counts the UTF-8 bytes of data and partition key.
export function recordTooLarge(size: number, maxRecordBytes: number): MqError {
  return new MqError('RECORD_TOO_LARGE', `record is ${size} bytes (data plus partition key), more than the stream's maximum of ${formatSize(maxRecordBytes)}`);
}

export type PartitionKeyFactory = () => string;

// Distinct keys for records put without one: a random per-process prefix and a counter, so MD5 spreads
// them evenly over the shards without reading randomness per record.
export function createRandomKeyFactory(random: (size: number) => Uint8Array): PartitionKeyFactory {
  // The random prefix is drawn on first use: every command opens a backend, few put keyless records.
  let prefix: string | undefined;
  let counter = 0;
  return () => {
    prefix ??= Buffer.from(random(6)).toString('base64url');
    return `${prefix}${(counter++).toString(36)}`;
  };
}
