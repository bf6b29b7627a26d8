// The AWS CLI (version 2, /usr/bin/aws as Debian packages it: `apt-get install -y awscli`; its SQS client
// speaks the query protocol) against mq serve: the common SQS and Kinesis commands, their output, and an
// error's exit status and message. .ci/run installs it, so a missing CLI fails here instead of skipping.
import fs from 'node:fs';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { md5Hex } from '../../src/core/message.js';
import { AWS, AWS_SLOW as SLOW, aws, awsJson } from '../helpers/aws-cli.js';
import { jsonLines, runMq } from '../helpers/run-mq.js';
import { startServeProcess } from '../helpers/serve-process.js';
import { tempHome } from '../helpers/tmp-home.js';

describe('the AWS CLI v2 against mq serve', () => {
  it('is installed (CI installs awscli)', async () => {
    expect(fs.existsSync(AWS)).toBe(true);
    expect((await execa(AWS, ['--version'])).stdout).toMatch(/^aws-cli\/2\./);
  });

  it('runs the common SQS commands', async () => {
    const home = tempHome();
    const { endpoint } = await startServeProcess(home);
    const { QueueUrl: url } = await awsJson(endpoint, ['sqs', 'create-queue', '--queue-name', 'jobs', '--attributes', 'VisibilityTimeout=60']);
    expect(url).toBe(`${endpoint}/000000000000/jobs`);
    expect((await awsJson(endpoint, ['sqs', 'get-queue-url', '--queue-name', 'jobs'])).QueueUrl).toBe(url);
    const sent = await awsJson(endpoint, ['sqs', 'send-message', '--queue-url', url, '--message-body', 'hello from aws', '--message-attributes', '{"n":{"DataType":"Number","StringValue":"3"}}']);
    expect(sent).toMatchObject({ MD5OfMessageBody: md5Hex('hello from aws'), MessageId: expect.any(String) });
    await awsJson(endpoint, ['sqs', 'send-message-batch', '--queue-url', url, '--entries', 'Id=a,MessageBody=one', 'Id=b,MessageBody=two']);
    const { Messages } = await awsJson(endpoint, ['sqs', 'receive-message', '--queue-url', url, '--max-number-of-messages', '10', '--attribute-names', 'All', '--message-attribute-names', 'All']);
    expect(Messages.map((m: { Body: string }) => m.Body).sort()).toEqual(['hello from aws', 'one', 'two']);
    expect(Messages.find((m: { Body: string }) => m.Body === 'hello from aws').MessageAttributes).toEqual({ n: { StringValue: '3', DataType: 'Number' } });
    await awsJson(endpoint, ['sqs', 'change-message-visibility', '--queue-url', url, '--receipt-handle', Messages[0].ReceiptHandle, '--visibility-timeout', '0']);
    await awsJson(endpoint, ['sqs', 'delete-message', '--queue-url', url, '--receipt-handle', Messages[1].ReceiptHandle]);
    const deleted = await awsJson(endpoint, ['sqs', 'delete-message-batch', '--queue-url', url, '--entries', `Id=x,ReceiptHandle=${Messages[2].ReceiptHandle}`]);
    expect(deleted.Successful).toEqual([{ Id: 'x' }]);
    const { Attributes } = await awsJson(endpoint, ['sqs', 'get-queue-attributes', '--queue-url', url, '--attribute-names', 'All']);
    expect(Attributes).toMatchObject({ VisibilityTimeout: '60', ApproximateNumberOfMessages: '1', ApproximateNumberOfMessagesNotVisible: '0' });
    await awsJson(endpoint, ['sqs', 'tag-queue', '--queue-url', url, '--tags', 'team=ops']);
    expect((await awsJson(endpoint, ['sqs', 'list-queue-tags', '--queue-url', url])).Tags).toEqual({ team: 'ops' });
    await awsJson(endpoint, ['sqs', 'purge-queue', '--queue-url', url]);
    expect(jsonLines((await runMq(['stats', 'jobs', '--json'], { home })).stdout)[0]).toMatchObject({ visible: 0 });
    // An empty receive: the CLI needs the (empty) ReceiveMessageResult element to parse the answer.
    expect((await awsJson(endpoint, ['sqs', 'receive-message', '--queue-url', url])).Messages).toBeUndefined();
    expect((await awsJson(endpoint, ['sqs', 'list-queues'])).QueueUrls).toEqual([url]);
    await awsJson(endpoint, ['sqs', 'delete-queue', '--queue-url', url]);
    const missing = await aws(endpoint, ['sqs', 'get-queue-url', '--queue-name', 'jobs']);
    expect(missing.exitCode).toBe(254);
    expect(missing.stderr).toMatch(/\(AWS\.SimpleQueueService\.NonExistentQueue\) when calling the GetQueueUrl operation/);
  }, SLOW);

  it('runs the common Kinesis commands', async () => {
    const home = tempHome();
    const { endpoint } = await startServeProcess(home);
    await awsJson(endpoint, ['kinesis', 'create-stream', '--stream-name', 'events', '--shard-count', '2']);
    const { StreamDescriptionSummary } = await awsJson(endpoint, ['kinesis', 'describe-stream-summary', '--stream-name', 'events']);
    expect(StreamDescriptionSummary).toMatchObject({ StreamName: 'events', StreamStatus: 'ACTIVE', OpenShardCount: 2, RetentionPeriodHours: 24 });
    const put = await awsJson(endpoint, ['kinesis', 'put-record', '--stream-name', 'events', '--partition-key', 'user-42', '--data', Buffer.from('hello').toString('base64'), '--explicit-hash-key', '0']);
    expect(put).toMatchObject({ ShardId: 'shardId-000000000000', SequenceNumber: expect.stringMatching(/^\d{33}$/) });
    const batch = await awsJson(endpoint, ['kinesis', 'put-records', '--stream-name', 'events', '--records', `Data=${Buffer.from('a').toString('base64')},PartitionKey=k,ExplicitHashKey=1`]);
    expect(batch.FailedRecordCount).toBe(0);
    const { Shards } = await awsJson(endpoint, ['kinesis', 'list-shards', '--stream-name', 'events']);
    expect(Shards.map((s: { ShardId: string }) => s.ShardId)).toEqual(['shardId-000000000000', 'shardId-000000000001']);
    const { ShardIterator } = await awsJson(endpoint, ['kinesis', 'get-shard-iterator', '--stream-name', 'events', '--shard-id', 'shardId-000000000000', '--shard-iterator-type', 'TRIM_HORIZON']);
    const got = await awsJson(endpoint, ['kinesis', 'get-records', '--shard-iterator', ShardIterator]);
    expect(got.Records.map((r: { Data: string }) => Buffer.from(r.Data, 'base64').toString())).toEqual(['hello', 'a']);
    expect(got).toMatchObject({ MillisBehindLatest: 0, NextShardIterator: expect.any(String) });
    await awsJson(endpoint, ['kinesis', 'split-shard', '--stream-name', 'events', '--shard-to-split', 'shardId-000000000000', '--new-starting-hash-key', '1000']);
    await awsJson(endpoint, ['kinesis', 'increase-stream-retention-period', '--stream-name', 'events', '--retention-period-hours', '48']);
    expect((await awsJson(endpoint, ['kinesis', 'list-streams'])).StreamNames).toEqual(['events']);
    const shards = jsonLines<{ shardId: string; state: string }>((await runMq(['shards', 'events', '--json'], { home })).stdout);
    expect(shards.map((s) => [s.shardId, s.state])).toEqual([['shardId-000000000000', 'closed'], ['shardId-000000000001', 'open'], ['shardId-000000000002', 'open'], ['shardId-000000000003', 'open']]);
    await awsJson(endpoint, ['kinesis', 'delete-stream', '--stream-name', 'events']);
    const missing = await aws(endpoint, ['kinesis', 'describe-stream-summary', '--stream-name', 'events']);
    expect(missing.exitCode).toBe(254);
    expect(missing.stderr).toMatch(/\(ResourceNotFoundException\)/);
  }, SLOW);
});
