// Records: PutRecord, PutRecords, GetShardIterator, GetRecords. Data is bytes both ways (base64 in JSON,
// a byte string in CBOR); sequence numbers are mq's (33 digits, increasing within a shard).
import { isMqError } from '../../../core/errors.js';
import { normalizeShardId } from '../../../core/shard-ids.js';
import { counterInShard } from '../../../core/sequence-numbers.js';
import type { StreamPosition } from '../../../core/stream-types.js';
import { action } from '../../api/action.js';
import { ApiError } from '../../api/api-error.js';
import { type ShardIterator, decodeIterator, encodeIterator } from '../iterators.js';
import { ACCOUNT_ID, STREAM_NAME, STREAM_REF, onStream, streamOf } from '../stream-names.js';

const MIB = 1024 * 1024;
const PARTITION_KEY = { type: 'string', required: true, minLength: 1, maxLength: 256 } as const;
const HASH_KEY = { type: 'string', pattern: /^(0|[1-9]\d{0,38})$/ } as const;
const SEQUENCE = { type: 'string', pattern: /^(0|[1-9]\d{0,128})$/ } as const;
const DATA = { type: 'blob', required: true, maxBytes: 10 * MIB } as const;
const MAX_PUT_RECORDS = 500;
const MAX_PUT_RECORDS_BYTES = 10 * MIB;

function shardNotFound(shardId: string, stream: string): ApiError {
  return new ApiError('ResourceNotFoundException', `Shard ${shardId} in stream ${stream} under account ${ACCOUNT_ID} does not exist`);
}

export const PutRecord = action(
  { ...STREAM_REF, Data: DATA, PartitionKey: PARTITION_KEY, ExplicitHashKey: HASH_KEY, SequenceNumberForOrdering: SEQUENCE },
  async (ctx, input) => {
    const name = streamOf(input);
    const [outcome] = await onStream(name, () => ctx.backend.streams.put(name, [{
      data: input.Data, partitionKey: input.PartitionKey, ...(input.ExplicitHashKey !== undefined ? { explicitHashKey: input.ExplicitHashKey } : {}),
    }], { atomic: true }));
    if (!outcome?.ok) throw outcome?.error ?? new Error('no outcome');
    // Sequence numbers already increase strictly within a shard, so SequenceNumberForOrdering changes nothing.
    return { ShardId: outcome.shardId, SequenceNumber: outcome.sequence, EncryptionType: 'NONE' };
  },
);

export const PutRecords = action(
  {
    ...STREAM_REF,
    Records: {
      type: 'list', required: true, minItems: 1, maxItems: MAX_PUT_RECORDS,
      member: { type: 'structure', fields: { Data: DATA, PartitionKey: PARTITION_KEY, ExplicitHashKey: HASH_KEY } },
    },
  },
  async (ctx, input) => {
    const name = streamOf(input);
    let bytes = 0;
    for (const record of input.Records) bytes += record.Data.length + Buffer.byteLength(record.PartitionKey);
    if (bytes > MAX_PUT_RECORDS_BYTES) throw new ApiError('InvalidArgumentException', `Records size exceeds ${MAX_PUT_RECORDS_BYTES / MIB} MB limit`);
    // A record that cannot be stored (too large for the stream, ...) fails the whole request, as on Kinesis;
    // per-record failures are left for what Kinesis reports per record (throughput), which mq does not limit.
    const outcomes = await onStream(name, () => ctx.backend.streams.put(name, input.Records.map((record) => ({
      data: record.Data, partitionKey: record.PartitionKey, ...(record.ExplicitHashKey !== undefined ? { explicitHashKey: record.ExplicitHashKey } : {}),
    })), { atomic: true }));
    let failed = 0;
    const records = outcomes.map((outcome) => {
      if (outcome.ok) return { SequenceNumber: outcome.sequence, ShardId: outcome.shardId };
      failed++;
      return { ErrorCode: 'InternalFailure', ErrorMessage: outcome.error.message };
    });
    return { FailedRecordCount: failed, Records: records, EncryptionType: 'NONE' };
  },
);

const ITERATOR_TYPES = ['AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER', 'TRIM_HORIZON', 'LATEST', 'AT_TIMESTAMP'] as const;

export const GetShardIterator = action(
  {
    StreamName: STREAM_NAME,
    StreamARN: STREAM_REF.StreamARN,
    ShardId: { type: 'string', required: true, minLength: 1, maxLength: 128, pattern: /^[a-zA-Z0-9_.-]+$/ },
    ShardIteratorType: { type: 'string', required: true, enum: ITERATOR_TYPES },
    StartingSequenceNumber: SEQUENCE,
    Timestamp: { type: 'timestamp' },
  },
  async (ctx, input) => {
    const name = streamOf(input);
    const type = input.ShardIteratorType;
    const bySequence = type === 'AT_SEQUENCE_NUMBER' || type === 'AFTER_SEQUENCE_NUMBER';
    if (bySequence !== (input.StartingSequenceNumber !== undefined)) {
      throw new ApiError('InvalidArgumentException', bySequence
        ? `StartingSequenceNumber is required with ShardIteratorType ${type}.`
        : `Request specified StartingSequenceNumber ${input.StartingSequenceNumber} with ShardIteratorType ${type}; it is only allowed with AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER.`);
    }
    if ((type === 'AT_TIMESTAMP') !== (input.Timestamp !== undefined)) {
      throw new ApiError('InvalidArgumentException', type === 'AT_TIMESTAMP' ? 'Timestamp is required with ShardIteratorType AT_TIMESTAMP.' : `Timestamp is only allowed with ShardIteratorType AT_TIMESTAMP.`);
    }
    const info = await onStream(name, () => ctx.backend.streams.get(name));
    let shardId: string;
    try {
      shardId = normalizeShardId(input.ShardId);
    } catch {
      throw shardNotFound(input.ShardId, name);
    }
    if (!info.shards.some((shard) => shard.shardId === shardId)) throw shardNotFound(input.ShardId, name);
    const now = Date.now();
    let position: ShardIterator['position'];
    switch (type) {
      case 'TRIM_HORIZON':
        position = { type: 'trim-horizon' };
        break;
      case 'AT_TIMESTAMP':
        if (input.Timestamp! > now) {
          throw new ApiError('InvalidArgumentException', `The timestampInMillis parameter cannot be greater than the currentTimestampInMillis. timestampInMillis: ${input.Timestamp}, currentTimestampInMillis: ${now}`);
        }
        position = { type: 'at-timestamp', timestamp: input.Timestamp! };
        break;
      case 'LATEST': {
        // Resolved now: the position after the shard's last record, so later puts are read.
        const { next } = await ctx.backend.streams.read(name, shardId, { type: 'latest' }, { limit: 1 });
        position = next as ShardIterator['position'];
        break;
      }
      default: {
        const sequence = input.StartingSequenceNumber!;
        try {
          counterInShard(sequence, Number(shardId.slice('shardId-'.length)));
        } catch {
          throw new ApiError('InvalidArgumentException', `Invalid StartingSequenceNumber. It encodes ${describeSequence(sequence)}, while it was used in a call to a shard with ${shardId}`);
        }
        position = { type: type === 'AT_SEQUENCE_NUMBER' ? 'at-sequence' : 'after-sequence', sequence };
      }
    }
    return { ShardIterator: encodeIterator({ stream: name, shardId, position, issuedAt: now }) };
  },
);

function describeSequence(sequence: string): string {
  return /^1\d{32}$/.test(sequence) ? `shardId-${sequence.slice(1, 13)}` : 'no shard of this stream';
}

export const GetRecords = action(
  { ShardIterator: { type: 'string', required: true, minLength: 1, maxLength: 512 }, Limit: { type: 'integer', min: 1, max: 10_000 }, StreamARN: STREAM_REF.StreamARN },
  async (ctx, input) => {
    const now = Date.now();
    const iterator = decodeIterator(input.ShardIterator, now);
    const position: StreamPosition = iterator.position;
    let result;
    try {
      result = await ctx.backend.streams.read(iterator.stream, iterator.shardId, position, { limit: input.Limit ?? 10_000, dataAs: 'bytes' });
    } catch (error) {
      if (isMqError(error, 'STREAM_NOT_FOUND', 'SHARD_NOT_FOUND')) throw shardNotFound(iterator.shardId, iterator.stream);
      throw error;
    }
    return {
      Records: result.records.map((record) => ({
        SequenceNumber: record.sequence,
        ApproximateArrivalTimestamp: new Date(record.arrivedAt),
        Data: record.data,
        PartitionKey: record.partitionKey,
      })),
      ...(result.shardEnd
        ? {}
        : { NextShardIterator: encodeIterator({ ...iterator, position: result.next as ShardIterator['position'], issuedAt: now }) }),
      MillisBehindLatest: result.millisBehindLatest,
      ...(result.childShards
        ? {
          ChildShards: result.childShards.map((child) => ({
            ShardId: child.shardId,
            ParentShards: child.parentShards,
            HashKeyRange: { StartingHashKey: child.hashKeyRange.startingHashKey, EndingHashKey: child.hashKeyRange.endingHashKey },
          })),
        }
        : {}),
    };
  },
);
