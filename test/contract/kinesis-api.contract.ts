// The Kinesis API through the AWS SDK for JavaScript v3, with its default HTTP/2 handler (cleartext,
// prior knowledge) and with HTTP/1.1: every action and its errors, against a real mq serve over any
// backend (a fresh one per test, from the factory).
import {
  CreateStreamCommand, DecreaseStreamRetentionPeriodCommand, DeleteStreamCommand, DescribeStreamCommand, DescribeStreamSummaryCommand,
  GetRecordsCommand, type GetRecordsCommandOutput, GetShardIteratorCommand, IncreaseStreamRetentionPeriodCommand, type KinesisClient, ListShardsCommand, ListStreamsCommand,
  MergeShardsCommand, PutRecordCommand, PutRecordsCommand, SplitShardCommand, UpdateShardCountCommand,
} from '@aws-sdk/client-kinesis';
import { describe, expect, it } from 'vitest';
import { encodeIterator } from '../../src/serve/kinesis/iterators.js';
import { type TestServer, useServedBackend } from '../helpers/serve.js';
import type { BackendFactory } from './backend-fixture.js';

const S = (i: number) => `shardId-${String(i).padStart(12, '0')}`;
const text = (data: Uint8Array | undefined) => Buffer.from(data!).toString('utf8');
const HALF = 2n ** 127n;

async function iterator(k: KinesisClient, shard: string, type: string, extra: Record<string, unknown> = {}): Promise<string> {
  const { ShardIterator } = await k.send(new GetShardIteratorCommand({ StreamName: 'ev', ShardId: shard, ShardIteratorType: type as never, ...extra }));
  return ShardIterator!;
}

export function describeKinesisApiContract(backendName: string, makeBackend: BackendFactory): void {
  describe(`Kinesis API contract: ${backendName}`, () => {
    let t: TestServer;
    useServedBackend(makeBackend, (served) => {
      t = served;
    });

    describe('Kinesis API: streams', () => {
      it('creates, describes, lists and deletes streams, over HTTP/2 by default', async () => {
        await t.kinesis.send(new CreateStreamCommand({ StreamName: 'ev', ShardCount: 3 }));
        const { StreamDescriptionSummary: summary } = await t.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'ev' }));
        expect(summary).toMatchObject({
          StreamName: 'ev', StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/ev', StreamStatus: 'ACTIVE', RetentionPeriodHours: 24,
          OpenShardCount: 3, EncryptionType: 'NONE', StreamModeDetails: { StreamMode: 'PROVISIONED' }, ConsumerCount: 0,
        });
        expect(summary!.StreamCreationTimestamp).toBeInstanceOf(Date);
        expect(Math.abs(summary!.StreamCreationTimestamp!.getTime() - Date.now())).toBeLessThan(60_000);
        await expect(t.kinesis.send(new CreateStreamCommand({ StreamName: 'ev', ShardCount: 3 }))).rejects.toMatchObject({ name: 'ResourceInUseException' });
        await expect(t.kinesis.send(new CreateStreamCommand({ StreamName: 'od', StreamModeDetails: { StreamMode: 'ON_DEMAND' } }))).rejects.toMatchObject({ name: 'InvalidArgumentException' });
        await expect(t.kinesis.send(new CreateStreamCommand({ StreamName: 'bad name', ShardCount: 1 }))).rejects.toMatchObject({ name: 'ValidationException' });
        const { StreamDescription: description } = await t.kinesis.send(new DescribeStreamCommand({ StreamName: 'ev', Limit: 2 }));
        expect(description!.Shards!.map((s) => s.ShardId)).toEqual([S(0), S(1)]);
        expect(description!.HasMoreShards).toBe(true);
        const rest = await t.kinesis.send(new DescribeStreamCommand({ StreamName: 'ev', ExclusiveStartShardId: S(1) }));
        expect(rest.StreamDescription!.Shards!.map((s) => s.ShardId)).toEqual([S(2)]);
        expect(rest.StreamDescription!.Shards![2 - 2]!.HashKeyRange!.EndingHashKey).toBe((2n ** 128n - 1n).toString());
        await t.kinesis.send(new CreateStreamCommand({ StreamName: 'fx', ShardCount: 1 }));
        const page = await t.kinesis.send(new ListStreamsCommand({ Limit: 1 }));
        expect(page).toMatchObject({ StreamNames: ['ev'], HasMoreStreams: true });
        const next = await t.kinesis.send(new ListStreamsCommand({ NextToken: page.NextToken! }));
        expect(next).toMatchObject({ StreamNames: ['fx'], HasMoreStreams: false, StreamSummaries: [{ StreamName: 'fx', StreamStatus: 'ACTIVE' }] });
        await t.kinesis.send(new DeleteStreamCommand({ StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/fx' }));
        await expect(t.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'fx' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 400 } });
        await expect(t.kinesis.send(new DeleteStreamCommand({ StreamName: 'fx' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
        expect(t.log.filter((entry) => entry.service === 'kinesis').every((entry) => entry.http === '2.0')).toBe(true);
      });

      it('changes retention only in the direction asked, within 24 h..8760 h', async () => {
        await t.kinesis.send(new CreateStreamCommand({ StreamName: 'ev', ShardCount: 1 }));
        await t.kinesis.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: 'ev', RetentionPeriodHours: 48 }));
        await expect(t.kinesis.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: 'ev', RetentionPeriodHours: 30 }))).rejects.toMatchObject({ name: 'InvalidArgumentException' });
        await expect(t.kinesis.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: 'ev', RetentionPeriodHours: 8761 }))).rejects.toMatchObject({ name: 'InvalidArgumentException' });
        await expect(t.kinesis.send(new DecreaseStreamRetentionPeriodCommand({ StreamName: 'ev', RetentionPeriodHours: 72 }))).rejects.toMatchObject({ name: 'InvalidArgumentException' });
        await expect(t.kinesis.send(new DecreaseStreamRetentionPeriodCommand({ StreamName: 'ev', RetentionPeriodHours: 23 }))).rejects.toMatchObject({ name: 'InvalidArgumentException' });
        await t.kinesis.send(new DecreaseStreamRetentionPeriodCommand({ StreamName: 'ev', RetentionPeriodHours: 24 }));
        const { StreamDescriptionSummary } = await t.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'ev' }));
        expect(StreamDescriptionSummary!.RetentionPeriodHours).toBe(24);
        await expect(t.kinesis.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: 'none', RetentionPeriodHours: 48 }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
      });
    });

    describe('Kinesis API: records', () => {
      it('puts records by key, hash key and in batches, and reads them back from each iterator type', async () => {
        const k = t.kinesis;
        await k.send(new CreateStreamCommand({ StreamName: 'ev', ShardCount: 2 }));
        const low = await k.send(new PutRecordCommand({ StreamName: 'ev', Data: Buffer.from('low'), PartitionKey: 'k', ExplicitHashKey: '0' }));
        expect(low).toMatchObject({ ShardId: S(0), EncryptionType: 'NONE' });
        const high = await k.send(new PutRecordCommand({ StreamName: 'ev', Data: Buffer.from('high'), PartitionKey: 'k', ExplicitHashKey: HALF.toString(), SequenceNumberForOrdering: low.SequenceNumber! }));
        expect(high.ShardId).toBe(S(1));
        const batch = await k.send(new PutRecordsCommand({ StreamName: 'ev', Records: ['a', 'b', 'c'].map((d) => ({ Data: Buffer.from(d), PartitionKey: 'same', ExplicitHashKey: '1' })) }));
        expect(batch.FailedRecordCount).toBe(0);
        expect(batch.Records!.map((r) => r.ShardId)).toEqual([S(0), S(0), S(0)]);
        const sequences = batch.Records!.map((r) => r.SequenceNumber!);
        expect([...sequences].sort()).toEqual(sequences);
        expect(sequences[0]! > low.SequenceNumber!).toBe(true);

        const all = await k.send(new GetRecordsCommand({ ShardIterator: await iterator(k, S(0), 'TRIM_HORIZON') }));
        expect(all.Records!.map((r) => text(r.Data))).toEqual(['low', 'a', 'b', 'c']);
        expect(all.Records![0]).toMatchObject({ SequenceNumber: low.SequenceNumber, PartitionKey: 'k' });
        expect(all.Records![0]!.ApproximateArrivalTimestamp).toBeInstanceOf(Date);
        expect(all.MillisBehindLatest).toBe(0);
        const at = await k.send(new GetRecordsCommand({ ShardIterator: await iterator(k, S(0), 'AT_SEQUENCE_NUMBER', { StartingSequenceNumber: sequences[1] }) }));
        expect(at.Records!.map((r) => text(r.Data))).toEqual(['b', 'c']);
        const after = await k.send(new GetRecordsCommand({ ShardIterator: await iterator(k, S(0), 'AFTER_SEQUENCE_NUMBER', { StartingSequenceNumber: sequences[1] }) }));
        expect(after.Records!.map((r) => text(r.Data))).toEqual(['c']);
        const since = await k.send(new GetRecordsCommand({ ShardIterator: await iterator(k, S(0), 'AT_TIMESTAMP', { Timestamp: new Date(Date.now() - 60_000) }) }));
        expect(since.Records).toHaveLength(4);

        // LATEST is fixed when the iterator is made: a record put after it is read.
        const latest = await iterator(k, S(0), 'LATEST');
        await k.send(new PutRecordCommand({ StreamName: 'ev', Data: Buffer.from('new'), PartitionKey: 'k', ExplicitHashKey: '0' }));
        const fresh = await k.send(new GetRecordsCommand({ ShardIterator: latest }));
        expect(fresh.Records!.map((r) => text(r.Data))).toEqual(['new']);
        const empty = await k.send(new GetRecordsCommand({ ShardIterator: fresh.NextShardIterator! }));
        expect(empty).toMatchObject({ Records: [], MillisBehindLatest: 0 });
        expect(empty.NextShardIterator).toEqual(expect.any(String));
      });

      it('keeps any bytes of a record exactly, text or not', async () => {
        const k = t.kinesis;
        await k.send(new CreateStreamCommand({ StreamName: 'ev', ShardCount: 1 }));
        const datas = [Buffer.from([0, 255, 10, 13, 34, 92, 128]), Buffer.from('text é'), Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.alloc(0)];
        await k.send(new PutRecordsCommand({ StreamName: 'ev', Records: datas.map((Data) => ({ Data, PartitionKey: 'k' })) }));
        const { Records } = await k.send(new GetRecordsCommand({ ShardIterator: await iterator(k, S(0), 'TRIM_HORIZON') }));
        expect(Records!.map((r) => Buffer.from(r.Data!))).toEqual(datas);
      });

      it('pages with Limit and NextShardIterator, with MillisBehindLatest until caught up', async () => {
        const k = t.kinesisH1;
        await k.send(new CreateStreamCommand({ StreamName: 'ev', ShardCount: 1 }));
        await k.send(new PutRecordsCommand({ StreamName: 'ev', Records: Array.from({ length: 25 }, (_, i) => ({ Data: Buffer.from(`r${i}`), PartitionKey: `p${i}` })) }));
        let it: string | undefined = await iterator(k, S(0), 'TRIM_HORIZON');
        const seen: string[] = [];
        for (let i = 0; i < 3; i++) {
          const page: GetRecordsCommandOutput = await k.send(new GetRecordsCommand({ ShardIterator: it!, Limit: 10 }));
          seen.push(...page.Records!.map((r) => text(r.Data)));
          it = page.NextShardIterator;
        }
        expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `r${i}`));
        expect(t.log.filter((entry) => entry.service === 'kinesis').every((entry) => entry.http === '1.1')).toBe(true);
      });

      it('reports bad requests as Kinesis does', async () => {
        const k = t.kinesis;
        await k.send(new CreateStreamCommand({ StreamName: 'ev', ShardCount: 2, MaxRecordSizeInKiB: 1024 }));
        const { SequenceNumber } = await k.send(new PutRecordCommand({ StreamName: 'ev', Data: Buffer.from('x'), PartitionKey: 'k', ExplicitHashKey: '0' }));
        await expect(iterator(k, S(7), 'TRIM_HORIZON')).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
        await expect(iterator(k, S(1), 'AT_SEQUENCE_NUMBER', { StartingSequenceNumber: SequenceNumber })).rejects.toMatchObject({ name: 'InvalidArgumentException' });
        await expect(iterator(k, S(0), 'TRIM_HORIZON', { StartingSequenceNumber: SequenceNumber })).rejects.toMatchObject({ name: 'InvalidArgumentException' });
        await expect(iterator(k, S(0), 'AT_SEQUENCE_NUMBER')).rejects.toMatchObject({ name: 'InvalidArgumentException' });
        await expect(iterator(k, S(0), 'AT_TIMESTAMP', { Timestamp: new Date(Date.now() + 3_600_000) })).rejects.toMatchObject({ name: 'InvalidArgumentException' });
        await expect(iterator(k, S(0), 'AT_TIMESTAMP')).rejects.toMatchObject({ name: 'InvalidArgumentException' });
        await expect(k.send(new GetShardIteratorCommand({ StreamName: 'none', ShardId: S(0), ShardIteratorType: 'LATEST' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
        await expect(k.send(new GetRecordsCommand({ ShardIterator: 'bm9uc2Vuc2U=' }))).rejects.toMatchObject({ name: 'InvalidArgumentException' });
        const good = await iterator(k, S(0), 'TRIM_HORIZON');
        await expect(k.send(new GetRecordsCommand({ ShardIterator: good, Limit: 10_001 }))).rejects.toMatchObject({ name: 'ValidationException' });
        const expired = encodeIterator({ stream: 'ev', shardId: S(0), position: { type: 'trim-horizon' }, issuedAt: Date.now() - 5 * 60_000 - 1000 });
        await expect(k.send(new GetRecordsCommand({ ShardIterator: expired }))).rejects.toMatchObject({ name: 'ExpiredIteratorException' });
        await expect(k.send(new PutRecordCommand({ StreamName: 'ev', Data: Buffer.alloc(1024 * 1024 + 1), PartitionKey: 'k' }))).rejects.toMatchObject({ name: 'InvalidArgumentException' });
        await expect(k.send(new PutRecordCommand({ StreamName: 'ev', Data: Buffer.from('x'), PartitionKey: '' }))).rejects.toMatchObject({ name: 'ValidationException' });
        await expect(k.send(new PutRecordCommand({ StreamName: 'ev', Data: Buffer.from('x'), PartitionKey: 'k', ExplicitHashKey: (2n ** 128n).toString() }))).rejects.toMatchObject({ name: 'InvalidArgumentException' });
        await expect(k.send(new PutRecordsCommand({ StreamName: 'ev', Records: [] }))).rejects.toMatchObject({ name: 'ValidationException' });
        await expect(k.send(new PutRecordsCommand({ StreamName: 'ev', Records: Array.from({ length: 501 }, () => ({ Data: Buffer.from('x'), PartitionKey: 'k' })) }))).rejects.toMatchObject({ name: 'ValidationException' });
        await expect(k.send(new PutRecordCommand({ StreamName: 'none', Data: Buffer.from('x'), PartitionKey: 'k' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
        // The stream removed under a live iterator.
        await k.send(new DeleteStreamCommand({ StreamName: 'ev' }));
        await expect(k.send(new GetRecordsCommand({ ShardIterator: good }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
      });
    });

    describe('Kinesis API: resharding', () => {
      it('splits and merges shards, lists them with filters and pages, and ends a closed shard with its children', async () => {
        const k = t.kinesis;
        await k.send(new CreateStreamCommand({ StreamName: 'ev', ShardCount: 2 }));
        await k.send(new PutRecordCommand({ StreamName: 'ev', Data: Buffer.from('before'), PartitionKey: 'k', ExplicitHashKey: '0' }));
        const before = await iterator(k, S(0), 'TRIM_HORIZON');
        await k.send(new SplitShardCommand({ StreamName: 'ev', ShardToSplit: S(0), NewStartingHashKey: (HALF / 2n).toString() }));
        const { Shards } = await k.send(new ListShardsCommand({ StreamName: 'ev' }));
        expect(Shards!.map((s) => s.ShardId)).toEqual([S(0), S(1), S(2), S(3)]);
        expect(Shards![0]!.SequenceNumberRange!.EndingSequenceNumber).toEqual(expect.any(String));
        expect(Shards![2]).toMatchObject({ ParentShardId: S(0), HashKeyRange: { StartingHashKey: '0', EndingHashKey: (HALF / 2n - 1n).toString() } });
        const latest = await k.send(new ListShardsCommand({ StreamName: 'ev', ShardFilter: { Type: 'AT_LATEST' } }));
        expect(latest.Shards!.map((s) => s.ShardId)).toEqual([S(1), S(2), S(3)]);
        const afterId = await k.send(new ListShardsCommand({ StreamName: 'ev', ShardFilter: { Type: 'AFTER_SHARD_ID', ShardId: S(1) } }));
        expect(afterId.Shards!.map((s) => s.ShardId)).toEqual([S(2), S(3)]);
        const atTrimHorizon = await k.send(new ListShardsCommand({ StreamName: 'ev', ShardFilter: { Type: 'AT_TRIM_HORIZON' } }));
        expect(atTrimHorizon.Shards!.map((s) => s.ShardId)).toEqual([S(0), S(1)]);
        const fromNow = await k.send(new ListShardsCommand({ StreamName: 'ev', ShardFilter: { Type: 'FROM_TIMESTAMP', Timestamp: new Date() } }));
        expect(fromNow.Shards!.map((s) => s.ShardId)).toEqual([S(1), S(2), S(3)]);
        const first = await k.send(new ListShardsCommand({ StreamName: 'ev', MaxResults: 3 }));
        expect(first.Shards).toHaveLength(3);
        const second = await k.send(new ListShardsCommand({ NextToken: first.NextToken! }));
        expect(second.Shards!.map((s) => s.ShardId)).toEqual([S(3)]);
        expect(second.NextToken).toBeUndefined();
        await expect(k.send(new ListShardsCommand({ StreamName: 'ev', NextToken: first.NextToken! }))).rejects.toMatchObject({ name: 'InvalidArgumentException' });

        // Reading the closed parent to its end: no next iterator, and the children.
        const end = await k.send(new GetRecordsCommand({ ShardIterator: before }));
        expect(end.Records!.map((r) => text(r.Data))).toEqual(['before']);
        expect(end.NextShardIterator).toBeUndefined();
        expect(end.ChildShards!.map((c) => [c.ShardId, c.ParentShards])).toEqual([[S(2), [S(0)]], [S(3), [S(0)]]]);

        await k.send(new MergeShardsCommand({ StreamName: 'ev', ShardToMerge: S(2), AdjacentShardToMerge: S(3) }));
        await expect(k.send(new MergeShardsCommand({ StreamName: 'ev', ShardToMerge: S(2), AdjacentShardToMerge: S(3) }))).rejects.toMatchObject({ name: 'InvalidArgumentException' });
        await expect(k.send(new SplitShardCommand({ StreamName: 'ev', ShardToSplit: S(1), NewStartingHashKey: '1' }))).rejects.toMatchObject({ name: 'InvalidArgumentException' });
        await expect(k.send(new SplitShardCommand({ StreamName: 'ev', ShardToSplit: S(42), NewStartingHashKey: '1' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
        const resized = await k.send(new UpdateShardCountCommand({ StreamName: 'ev', TargetShardCount: 4, ScalingType: 'UNIFORM_SCALING' }));
        expect(resized).toMatchObject({ StreamName: 'ev', CurrentShardCount: 2, TargetShardCount: 4 });
        const { StreamDescriptionSummary } = await k.send(new DescribeStreamSummaryCommand({ StreamName: 'ev' }));
        expect(StreamDescriptionSummary!.OpenShardCount).toBe(4);
        await expect(k.send(new UpdateShardCountCommand({ StreamName: 'ev', TargetShardCount: 9, ScalingType: 'UNIFORM_SCALING' }))).rejects.toMatchObject({ name: 'InvalidArgumentException' });
      });
    });
  });
}
