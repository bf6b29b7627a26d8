// A stream record as a JetStream message: the data is the payload, the partition key a header (as it is
// when it is printable ASCII, else base64url under another name: header values cannot hold every
// character), the arrival time the message's stream time. Pure.
import { isUtf8 } from 'node:buffer';
import { formatShardId } from '../../core/shard-ids.js';
import { formatSequence } from '../../core/sequence-numbers.js';
import type { StreamRecord } from '../../core/stream-types.js';

export const KEY_HEADER = 'Mq-Key';
export const KEY64_HEADER = 'Mq-Key64';

const PLAIN = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

export function keyHeaders(key: string): Record<string, string> {
  return PLAIN.test(key) ? { [KEY_HEADER]: key } : { [KEY64_HEADER]: Buffer.from(key, 'utf8').toString('base64url') };
}

export function keyOf(headers: Map<string, string>): string {
  const plain = headers.get(KEY_HEADER);
  if (plain !== undefined) return plain;
  const encoded = headers.get(KEY64_HEADER);
  return encoded === undefined ? '' : Buffer.from(encoded, 'base64url').toString('utf8');
}

export interface StoredRecord {
  seq: number;
  time: number;
  headers: Map<string, string>;
  data: Uint8Array;
}

// Data read as a string is the payload's text, or, for bytes that are not UTF-8, their base64 marked by
// dataEncoding (as the file store gives them back: the payload holds any bytes as they were put).
export function toStreamRecord(shardIndex: number, stored: StoredRecord, dataAs: 'string' | 'bytes'): StreamRecord<string | Uint8Array> {
  const record: StreamRecord<string | Uint8Array> = {
    shardId: formatShardId(shardIndex),
    sequence: formatSequence(shardIndex, stored.seq),
    arrivedAt: stored.time,
    partitionKey: keyOf(stored.headers),
    data: stored.data,
  };
  if (dataAs === 'bytes') return record;
  const bytes = Buffer.from(stored.data.buffer, stored.data.byteOffset, stored.data.byteLength);
  if (isUtf8(bytes)) record.data = bytes.toString('utf8');
  else {
    record.data = bytes.toString('base64');
    record.dataEncoding = 'base64';
  }
  return record;
}
