// Stream lifecycle: CreateStream, DeleteStream, DescribeStream, DescribeStreamSummary, ListStreams,
// IncreaseStreamRetentionPeriod, DecreaseStreamRetentionPeriod.
import { HOUR } from '../../../core/queue-attributes.js';
import { STREAM_LIMITS } from '../../../core/stream-attributes.js';
import type { StreamInfo } from '../../../core/stream-types.js';
import { action } from '../../api/action.js';
import { ApiError } from '../../api/api-error.js';
import { shardShape } from '../shards.js';
import { STREAM_NAME, STREAM_REF, onStream, streamArn, streamOf } from '../stream-names.js';

const PROVISIONED = { StreamMode: 'PROVISIONED' } as const;

function summary(info: StreamInfo, region: string) {
  return {
    StreamName: info.name,
    StreamARN: streamArn(region, info.name),
    StreamStatus: 'ACTIVE',
    StreamModeDetails: PROVISIONED,
    RetentionPeriodHours: info.attributes.retentionMs / HOUR,
    StreamCreationTimestamp: new Date(info.createdAt),
    EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
    EncryptionType: 'NONE',
  };
}

export const CreateStream = action(
  {
    StreamName: { ...STREAM_NAME, required: true },
    ShardCount: { type: 'integer', min: 1, max: 100_000 },
    StreamModeDetails: { type: 'structure', fields: { StreamMode: { type: 'string', required: true, enum: ['PROVISIONED', 'ON_DEMAND'] } } },
    Tags: { type: 'map', value: { type: 'string' } },
    MaxRecordSizeInKiB: { type: 'integer', min: 1024, max: 10_240 },
  },
  async (ctx, input) => {
    if (input.StreamModeDetails?.StreamMode === 'ON_DEMAND') {
      throw new ApiError('InvalidArgumentException', 'mq streams are provisioned: give a ShardCount instead of the ON_DEMAND mode.');
    }
    if (input.ShardCount === undefined) throw new ApiError('InvalidArgumentException', 'ShardCount is required for a PROVISIONED stream.');
    const { created } = await ctx.backend.streams.create(input.StreamName, {
      shardCount: input.ShardCount,
      ...(input.MaxRecordSizeInKiB !== undefined ? { maxRecordBytes: input.MaxRecordSizeInKiB * 1024 } : {}),
    });
    if (!created) throw new ApiError('ResourceInUseException', `Stream ${input.StreamName} under account 000000000000 already exists.`);
  },
  { ALREADY_EXISTS: ['ResourceInUseException', 400] },
);

export const DeleteStream = action({ ...STREAM_REF, EnforceConsumerDeletion: { type: 'boolean' } }, async (ctx, input) => {
  const name = streamOf(input);
  await onStream(name, () => ctx.backend.streams.remove(name));
});

export const DescribeStreamSummary = action(STREAM_REF, async (ctx, input) => {
  const name = streamOf(input);
  const info = await onStream(name, () => ctx.backend.streams.get(name));
  return { StreamDescriptionSummary: { ...summary(info, ctx.region), OpenShardCount: info.openShardCount, ConsumerCount: 0 } };
});

export const DescribeStream = action(
  { ...STREAM_REF, Limit: { type: 'integer', min: 1, max: 10_000 }, ExclusiveStartShardId: { type: 'string', minLength: 1, maxLength: 128 } },
  async (ctx, input) => {
    const name = streamOf(input);
    const info = await onStream(name, () => ctx.backend.streams.get(name));
    const after = input.ExclusiveStartShardId;
    const shards = info.shards.filter((shard) => after === undefined || shard.shardId > after);
    const limit = input.Limit ?? 100;
    return {
      StreamDescription: {
        ...summary(info, ctx.region),
        Shards: shards.slice(0, limit).map(shardShape),
        HasMoreShards: shards.length > limit,
      },
    };
  },
);

export const ListStreams = action(
  {
    Limit: { type: 'integer', min: 1, max: 10_000 },
    ExclusiveStartStreamName: STREAM_NAME,
    NextToken: { type: 'string', minLength: 1, maxLength: 1048576 },
  },
  async (ctx, input) => {
    const after = input.NextToken !== undefined ? decodeNextToken(input.NextToken) : input.ExclusiveStartStreamName;
    const streams = (await ctx.backend.streams.list()).filter((info) => after === undefined || info.name > after);
    const limit = input.Limit ?? 100;
    const page = streams.slice(0, limit);
    const more = streams.length > limit;
    return {
      StreamNames: page.map((info) => info.name),
      HasMoreStreams: more,
      ...(more ? { NextToken: Buffer.from(page[page.length - 1]!.name).toString('base64') } : {}),
      StreamSummaries: page.map((info) => {
        const { StreamName, StreamARN, StreamStatus, StreamModeDetails, StreamCreationTimestamp } = summary(info, ctx.region);
        return { StreamName, StreamARN, StreamStatus, StreamModeDetails, StreamCreationTimestamp };
      }),
    };
  },
);

function decodeNextToken(token: string): string {
  const name = Buffer.from(token, 'base64').toString('utf8');
  if (!/^[a-zA-Z0-9_.-]{1,128}$/.test(name)) throw new ApiError('InvalidArgumentException', 'Invalid NextToken.');
  return name;
}

const RETENTION = { type: 'integer', required: true, min: 1, max: 100_000 } as const;

export const IncreaseStreamRetentionPeriod = action({ ...STREAM_REF, RetentionPeriodHours: RETENTION }, async (ctx, input) => {
  await changeRetention(ctx.backend.streams, streamOf(input), input.RetentionPeriodHours, 'increase');
});

export const DecreaseStreamRetentionPeriod = action({ ...STREAM_REF, RetentionPeriodHours: RETENTION }, async (ctx, input) => {
  await changeRetention(ctx.backend.streams, streamOf(input), input.RetentionPeriodHours, 'decrease');
});

// Kinesis refuses an "increase" to less than the current period and a "decrease" to more.
async function changeRetention(streams: import('../../../core/stream-store.js').StreamStore, name: string, hours: number, direction: 'increase' | 'decrease'): Promise<void> {
  const { min, max } = STREAM_LIMITS.retentionMs;
  if (hours * HOUR > max) throw new ApiError('InvalidArgumentException', `Maximum allowed retention period is ${max / HOUR} hours. Requested retention period (${hours} hours) is too long.`);
  if (hours * HOUR < min) throw new ApiError('InvalidArgumentException', `Minimum allowed retention period is ${min / HOUR} hours. Requested retention period (${hours} hours) is too short.`);
  const info = await onStream(name, () => streams.get(name));
  const current = info.attributes.retentionMs / HOUR;
  if (direction === 'increase' && hours < current) {
    throw new ApiError('InvalidArgumentException', `Requested retention period (${hours} hours) for stream ${name} can not be shorter than existing retention period (${current} hours). Use DecreaseRetentionPeriod API.`);
  }
  if (direction === 'decrease' && hours > current) {
    throw new ApiError('InvalidArgumentException', `Requested retention period (${hours} hours) for stream ${name} can not be longer than existing retention period (${current} hours). Use IncreaseRetentionPeriod API.`);
  }
  await streams.setRetention(name, hours * HOUR);
}
