// The Kinesis API: every action by name, for JSON 1.1 (X-Amz-Target: Kinesis_20131202.<Action>) and
// CBOR (application/x-amz-cbor-1.1, the AWS SDK for Java's default).
import type { ServiceApi } from '../api/service.js';
import { GetRecords, GetShardIterator, PutRecord, PutRecords } from './actions/records.js';
import { ListShards, MergeShards, SplitShard, UpdateShardCount } from './actions/shards.js';
import {
  CreateStream, DecreaseStreamRetentionPeriod, DeleteStream, DescribeStream, DescribeStreamSummary, IncreaseStreamRetentionPeriod, ListStreams,
} from './actions/streams.js';

export const kinesisApi: ServiceApi = {
  name: 'kinesis',
  targetPrefix: 'Kinesis_20131202',
  jsonContentType: 'application/x-amz-json-1.1',
  queryCompatible: false,
  cbor: true,
  actions: {
    CreateStream, DeleteStream, DescribeStream, DescribeStreamSummary, ListStreams,
    IncreaseStreamRetentionPeriod, DecreaseStreamRetentionPeriod,
    ListShards, SplitShard, MergeShards, UpdateShardCount,
    PutRecord, PutRecords, GetShardIterator, GetRecords,
  },
};
