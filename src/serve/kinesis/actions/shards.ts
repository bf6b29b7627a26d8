// Shards: ListShards (with ShardFilter and pagination), SplitShard, MergeShards, UpdateShardCount.
import { retentionCutoff } from '../../../core/stream-attributes.js';
import { action } from '../../api/action.js';
import { ApiError } from '../../api/api-error.js';
import { SHARD_FILTER_TYPES, filterShards, shardShape } from '../shards.js';
import { STREAM_REF, onStream, streamArn, streamOf } from '../stream-names.js';

const SHARD_ID = { type: 'string', minLength: 1, maxLength: 128, pattern: /^[a-zA-Z0-9_.-]+$/ } as const;
const HASH_KEY = { type: 'string', pattern: /^(0|[1-9]\d{0,38})$/ } as const;

interface PageToken {
  stream: string;
  after: string;
  issuedAt: number;
}

// ListShards' NextToken expires after 300 s (ExpiredNextTokenException), as on Kinesis.
const NEXT_TOKEN_LIFETIME_MS = 300_000;

export const ListShards = action(
  {
    ...STREAM_REF,
    NextToken: { type: 'string', minLength: 1, maxLength: 1048576 },
    ExclusiveStartShardId: SHARD_ID,
    MaxResults: { type: 'integer', min: 1, max: 10_000 },
    StreamCreationTimestamp: { type: 'timestamp' },
    ShardFilter: { type: 'structure', fields: { Type: { type: 'string', required: true, enum: SHARD_FILTER_TYPES }, ShardId: SHARD_ID, Timestamp: { type: 'timestamp' } } },
  },
  async (ctx, input) => {
    let name: string;
    let after = input.ExclusiveStartShardId;
    if (input.NextToken !== undefined) {
      if (input.StreamName !== undefined || input.StreamARN !== undefined) {
        throw new ApiError('InvalidArgumentException', 'NextToken and StreamName cannot be provided together.');
      }
      const token = decodePageToken(input.NextToken);
      name = token.stream;
      after = token.after;
    } else {
      name = streamOf(input);
    }
    const info = await onStream(name, () => ctx.backend.streams.get(name));
    const now = Date.now();
    // The trim horizon: the oldest time still readable, at the latest when the stream was made.
    const horizon = Math.max(retentionCutoff(now, info.attributes.retentionMs), info.createdAt);
    const listed = filterShards(info.shards, input.ShardFilter, horizon, now)
      .filter((shard) => after === undefined || shard.shardId > after);
    const limit = input.MaxResults ?? 1000;
    const page = listed.slice(0, limit);
    return {
      Shards: page.map(shardShape),
      ...(listed.length > limit ? { NextToken: encodePageToken({ stream: name, after: page[page.length - 1]!.shardId, issuedAt: now }) } : {}),
    };
  },
);

function encodePageToken(token: PageToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64');
}

function decodePageToken(text: string): PageToken {
  let token: PageToken;
  try {
    token = JSON.parse(Buffer.from(text, 'base64').toString('utf8')) as PageToken;
  } catch {
    throw new ApiError('InvalidArgumentException', 'Invalid NextToken.');
  }
  if (typeof token?.stream !== 'string' || typeof token.after !== 'string' || typeof token.issuedAt !== 'number') {
    throw new ApiError('InvalidArgumentException', 'Invalid NextToken.');
  }
  if (Date.now() - token.issuedAt > NEXT_TOKEN_LIFETIME_MS) throw new ApiError('ExpiredNextTokenException', 'The NextToken has expired.');
  return token;
}

// A shard id the store does not know is ResourceNotFoundException on Kinesis.
const SHARD_ERRORS = { SHARD_NOT_FOUND: ['ResourceNotFoundException', 400] } as const;

export const SplitShard = action(
  { ...STREAM_REF, ShardToSplit: { ...SHARD_ID, required: true }, NewStartingHashKey: { ...HASH_KEY, required: true } },
  async (ctx, input) => {
    const name = streamOf(input);
    await onStream(name, () => ctx.backend.streams.splitShard(name, input.ShardToSplit, input.NewStartingHashKey));
  },
  SHARD_ERRORS,
);

export const MergeShards = action(
  { ...STREAM_REF, ShardToMerge: { ...SHARD_ID, required: true }, AdjacentShardToMerge: { ...SHARD_ID, required: true } },
  async (ctx, input) => {
    const name = streamOf(input);
    await onStream(name, () => ctx.backend.streams.mergeShards(name, input.ShardToMerge, input.AdjacentShardToMerge));
  },
  SHARD_ERRORS,
);

export const UpdateShardCount = action(
  { ...STREAM_REF, TargetShardCount: { type: 'integer', required: true, min: 1, max: 100_000 }, ScalingType: { type: 'string', required: true, enum: ['UNIFORM_SCALING'] } },
  async (ctx, input) => {
    const name = streamOf(input);
    const before = await onStream(name, () => ctx.backend.streams.get(name));
    await ctx.backend.streams.updateShardCount(name, input.TargetShardCount);
    return { StreamName: name, CurrentShardCount: before.openShardCount, TargetShardCount: input.TargetShardCount, StreamARN: streamArn(ctx.region, name) };
  },
);
