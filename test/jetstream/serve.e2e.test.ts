// The built `mq serve` over JetStream, as a separate process (MQ_URL and MQ_NAMESPACE in its environment):
// the AWS CLI v2 through it (SQS and Kinesis), the shell's `mq send`, `mq receive`, `mq put` and `mq tail`
// on the same queue and stream, and SIGTERM by PID ending it with exit 0.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AWS_SLOW, awsJson } from '../helpers/aws-cli.js';
import { describeRun, expectRun, jsonLines, runMq } from '../helpers/run-mq.js';
import { startServeProcess } from '../helpers/serve-process.js';
import { tempHome } from '../helpers/tmp-home.js';
import { NATS_URL, dropNamespace, freshNamespace } from './fixture.js';

const SHARD = 'shardId-000000000000';

describe('mq serve over JetStream (process)', () => {
  let home: string;
  let env: Record<string, string>;
  beforeEach(() => {
    home = tempHome();
    env = { MQ_URL: NATS_URL, MQ_NAMESPACE: freshNamespace() };
  });
  afterEach(async () => {
    await dropNamespace(NATS_URL, env.MQ_NAMESPACE!);
  });
  const mq = (args: string[]) => runMq(args, { home, env, timeoutMs: 120_000 });

  it('serves the AWS CLI\'s SQS commands on a queue the shell shares, and exits 0 on SIGTERM', async () => {
    const server = await startServeProcess(home, [], env);
    const { endpoint } = server;
    const { QueueUrl: url } = await awsJson(endpoint, ['sqs', 'create-queue', '--queue-name', 'jobs']);
    expect(url).toBe(`${endpoint}/000000000000/jobs`);
    const sent = await awsJson(endpoint, ['sqs', 'send-message', '--queue-url', url, '--message-body', 'from aws']);
    // The API's message, received by the shell; the shell's receipt deletes it through the API.
    const received = await mq(['receive', 'jobs']);
    const [fromApi] = jsonLines<{ id: string; body: string; receipt: string }>(received.stdout);
    expect(fromApi, describeRun(received)).toMatchObject({ id: sent.MessageId, body: 'from aws' });
    await awsJson(endpoint, ['sqs', 'delete-message', '--queue-url', url, '--receipt-handle', fromApi!.receipt]);
    // The shell's message, received and deleted through the API.
    expectRun(await mq(['send', 'jobs', 'from shell']), 0, /^\w{26}\n$/);
    const { Messages } = await awsJson(endpoint, ['sqs', 'receive-message', '--queue-url', url, '--max-number-of-messages', '10']);
    expect(Messages.map((m: { Body: string }) => m.Body)).toEqual(['from shell']);
    await awsJson(endpoint, ['sqs', 'delete-message', '--queue-url', url, '--receipt-handle', Messages[0].ReceiptHandle]);
    expect((await awsJson(endpoint, ['sqs', 'receive-message', '--queue-url', url])).Messages).toBeUndefined();
    const stats = await mq(['--json', 'stats', 'jobs']);
    expect(jsonLines(stats.stdout)[0], describeRun(stats)).toMatchObject({ visible: 0, inFlight: 0 });
    const { exitCode } = await server.stop();
    expect(exitCode).toBe(0);
  }, AWS_SLOW);

  it('serves the AWS CLI\'s Kinesis commands on a stream the shell shares, and exits 0 on SIGTERM', async () => {
    const server = await startServeProcess(home, [], env);
    const { endpoint } = server;
    await awsJson(endpoint, ['kinesis', 'create-stream', '--stream-name', 'events', '--shard-count', '1']);
    const put = await awsJson(endpoint, ['kinesis', 'put-record', '--stream-name', 'events', '--partition-key', 'user-42', '--data', Buffer.from('from aws').toString('base64')]);
    expect(put).toMatchObject({ ShardId: SHARD, SequenceNumber: expect.stringMatching(/^\d{33}$/) });
    expectRun(await mq(['put', 'events', 'from shell']), 0, /^shardId-000000000000 \d{33}\n$/);
    const { ShardIterator } = await awsJson(endpoint, ['kinesis', 'get-shard-iterator', '--stream-name', 'events', '--shard-id', SHARD, '--shard-iterator-type', 'TRIM_HORIZON']);
    const got = await awsJson(endpoint, ['kinesis', 'get-records', '--shard-iterator', ShardIterator]);
    expect(got.Records.map((r: { Data: string }) => Buffer.from(r.Data, 'base64').toString())).toEqual(['from aws', 'from shell']);
    expect(got.Records[0]).toMatchObject({ SequenceNumber: put.SequenceNumber, PartitionKey: 'user-42' });
    const tail = await mq(['tail', 'events', '--shard', '0', '--from', 'trim-horizon', '--json']);
    expect(jsonLines<{ sequence: string; data: string }>(tail.stdout).map((r) => [r.sequence, r.data]), describeRun(tail)).toEqual([
      [put.SequenceNumber, 'from aws'], [got.Records[1].SequenceNumber, 'from shell'],
    ]);
    const { exitCode } = await server.stop();
    expect(exitCode).toBe(0);
  }, AWS_SLOW);
});
