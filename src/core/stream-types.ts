// The data a StreamStore takes and returns. Times are epoch milliseconds; hash keys and sequence numbers
// are decimal strings (sequence numbers of one width, so they compare as strings).
import type { MqError } from './errors.js';
import type { StreamAttributes } from './stream-attributes.js';

export interface StreamInfo {
  name: string;
  attributes: StreamAttributes;
  // Kinesis's StreamStatus, StreamMode and EncryptionType: a local stream is always these.
  status: 'active';
  mode: 'provisioned';
  encryption: 'none';
  shardCount: number;
  openShardCount: number;
  // Every shard, open and closed, as ListShards shows it.
  shards: ShardInfo[];
  createdAt: number;
  updatedAt: number;
}

export interface CreateStreamResult {
  created: boolean;
  stream: StreamInfo;
}

export type ShardState = 'open' | 'closed';

// A shard as ListShards shows it.
export interface ShardInfo {
  shardId: string;
  state: ShardState;
  parentShardId?: string;
  adjacentParentShardId?: string;
  hashKeyRange: { startingHashKey: string; endingHashKey: string };
  sequenceNumberRange: { startingSequenceNumber: string; endingSequenceNumber?: string };
  // When the shard was made (with its stream, or by the split or merge that made it) and, once closed,
  // when it closed: what ListShards' time filters ask about. A backend that does not know leaves them out.
  createdAt?: number;
  closedAt?: number;
}

// A shard with what it holds now: readable (unexpired) records and the bytes its storage takes.
export interface ShardDescription extends ShardInfo {
  records: number;
  bytes: number;
  firstSequence: string | null;
  lastSequence: string | null;
  lastArrivedAt: number | null;
}

export interface StreamDescription extends StreamInfo {
  shards: ShardDescription[];
}

export interface PutRequest {
  // UTF-8 text, as a string or as its bytes (stored as they are, read back as a string).
  data: string | Uint8Array;
  // 1-256 characters; the shard is chosen by its MD5. Absent: the store picks a random key.
  partitionKey?: string;
  // A decimal hash key in 0..2^128-1 that chooses the shard instead of the partition key's hash.
  explicitHashKey?: string;
}

export interface PutResult {
  shardId: string;
  sequence: string;
}

export interface PutOptions {
  // Store nothing unless every record is valid, and throw the first problem instead.
  atomic?: boolean;
}

// One entry per request, in request order (PutRecords): an invalid record is not stored, the others are.
export type PutOutcome = ({ ok: true } & PutResult) | { ok: false; error: MqError };

// Records as lines of bytes: the bulk form of put, for lines read from stdin (no object per record).
// Line i is bytes[starts[i], ends[i]); a line whose start is -1 is left out (the caller refused it).
export interface LineBlock {
  bytes: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
  count: number;
}

export interface PutLinesOptions {
  // The partition key of every line.
  partitionKey?: string;
  // The partition key of one line, read before anything of the line is checked (its bytes may not be
  // valid UTF-8); throws an MqError for a line that has none, which then fails alone.
  partitionKeyOf?: (bytes: Uint8Array, start: number, end: number) => string;
  // A decimal hash key in 0..2^128-1 that chooses the shard of every line.
  explicitHashKey?: string;
}

// The outcome of each line, numbered through the blocks in order, as columns: where it was stored
// (shard index and per-shard counter: formatSequence(shard, counter) is its sequence number), or, with
// shard LINE_REFUSED, why it was refused (in `errors`), or, with shard LINE_LEFT_OUT, nothing (a line
// the caller left out).
export const LINE_REFUSED = -1;
export const LINE_LEFT_OUT = -2;

export interface PutLinesResult {
  count: number;
  shards: Int32Array;
  counters: Float64Array;
  errors: Map<number, MqError>;
}

// A record as read. Its data is a string, or its UTF-8 bytes when read with `dataAs: 'bytes'` (the
// cheap form for copying records out: no decoding).
export interface StreamRecord<D extends string | Uint8Array = string> {
  shardId: string;
  sequence: string;
  arrivedAt: number;
  partitionKey: string;
  data: D;
}

// Where a read starts (Kinesis's shard iterator types, plus the last N records for `tail`).
export type StreamPosition =
  | { type: 'trim-horizon' }
  | { type: 'latest' }
  | { type: 'at-sequence'; sequence: string }
  | { type: 'after-sequence'; sequence: string }
  | { type: 'at-timestamp'; timestamp: number }
  | { type: 'last'; count: number };

export interface ReadOptions {
  // At most this many records (1..10,000; default 10,000).
  limit?: number;
  // 'bytes': give each record's data as its UTF-8 bytes instead of a string.
  dataAs?: 'string' | 'bytes';
  // Stop before the first record that arrived at or after this time (the end of a time window).
  until?: number;
}

export interface ReadResult<D extends string | Uint8Array = string> {
  records: StreamRecord<D>[];
  // Where the next read continues: exactly after the last record returned (or where this one started).
  next: StreamPosition;
  // Whether no record after `next` existed when the read was made (or, with `until`, none before it).
  caughtUp: boolean;
  // How far `next` is behind the newest record: its arrival minus the last returned one's; 0 when caught up.
  millisBehindLatest: number;
  // The shard is closed and this read reached its end (Kinesis: NextShardIterator null); `childShards`
  // then names the shards that took its hash keys over.
  shardEnd?: boolean;
  childShards?: ChildShard[];
}

// A shard that took over (part of) a closed shard's hash keys, as GetRecords reports it at the shard's end.
export interface ChildShard {
  shardId: string;
  parentShards: string[];
  hashKeyRange: { startingHashKey: string; endingHashKey: string };
}

// What a split, merge or shard-count change did: the stream after it, the shards it closed, and the shards
// it created (an UpdateShardCount may create shards that it closes again at once: they never held data).
export interface ReshardResult {
  stream: StreamInfo;
  closed: ShardInfo[];
  created: ShardInfo[];
}

// What readData returns: the data of `count` records, each followed by a newline, as one block.
export interface DataResult extends Omit<ReadResult, 'records'> {
  data: Uint8Array;
  count: number;
}

// How far a consumer group got in a shard: a sequence number it has processed, or a sentinel for a
// shard it has not processed anything of yet (where to start) or has finished.
export type Checkpoint =
  | { sequence: string }
  | { sentinel: 'TRIM_HORIZON' | 'LATEST' | 'SHARD_END' }
  | { sentinel: 'AT_TIMESTAMP'; timestamp: number };

export interface GroupShardLag {
  group: string;
  shardId: string;
  // Null for a child shard the group has not started yet (it will read it from its first record).
  checkpoint: Checkpoint | null;
  // Unread records after the checkpoint, and how long the oldest of them has waited (0 when none).
  lagRecords: number;
  lagMs: number;
  // When the checkpoint was last written (0 when there is none).
  updatedAt: number;
  // The worker holding the shard's lease in this group (`mq consume`), while the lease is live.
  leaseOwner?: string;
  leaseExpiresAt?: number;
}

// A consumer group's lease on one shard (KCL's lease row): who holds it, a counter bumped by every take
// and renewal (so a holder that lost it can tell), and when it expires unless renewed. A released lease
// has no owner.
export interface ShardLease {
  shardId: string;
  owner: string | null;
  counter: number;
  expiresAt: number;
  updatedAt: number;
}

// Wakes a reader that follows a stream when records may have been put (by any process).
export interface StreamWatcher {
  // Resolves when the stream may have new records, after `timeoutMs`, or when `signal` aborts.
  wait(timeoutMs: number, signal?: AbortSignal): Promise<void>;
  close(): void;
}
