// mq serve through the built binary: its life as a process (the endpoint on stdout, the access log,
// SIGTERM with a long poll in flight), its security rules, one queue and one stream shared by the API and
// the shell (a receipt from either side works on the other), the server's code loaded by `serve` only,
// and 8 SDK clients racing 4 `mq work` processes on one queue.
import fs from 'node:fs';
import path from 'node:path';
import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import {
  ChangeMessageVisibilityCommand, DeleteMessageCommand, ReceiveMessageCommand, SQSClient, SendMessageBatchCommand, SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { MQ_BIN, describeRun, expectRun, jsonLines, runMq, spawnMq } from '../helpers/run-mq.js';
import { CREDENTIALS } from '../helpers/serve.js';
import { startServeProcess } from '../helpers/serve-process.js';
import { tempHome } from '../helpers/tmp-home.js';

const sqsClient = (endpoint: string, credentials = CREDENTIALS) => new SQSClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
const kinesisClient = (endpoint: string) => new KinesisClient({ endpoint, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
const queueUrl = (endpoint: string, name: string) => `${endpoint}/000000000000/${name}`;

describe('mq serve (process)', () => {
  it('prints its endpoint, logs each request, and on SIGTERM answers the long poll in flight and exits 0', async () => {
    const home = tempHome();
    await runMq(['create', 'jobs'], { home });
    const server = await startServeProcess(home, ['--log']);
    expect(server.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const sqs = sqsClient(server.endpoint);
    const url = queueUrl(server.endpoint, 'jobs');
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'hello' }));
    const [message] = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages!;
    expect(message!.Body).toBe('hello');
    const polling = sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 20 }));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const started = Date.now();
    const { exitCode, stderr } = await server.stop();
    expect((await polling).Messages).toBeUndefined();
    expect(exitCode).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
    const lines = stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^mq: \S+Z 127\.0\.0\.1 HTTP\/1\.1 sqs SendMessage json 200 [\d.]+ms \d+B>\d+B$/);
    expect(lines.map((line) => line.split(' ')[5])).toEqual(['SendMessage', 'ReceiveMessage', 'ReceiveMessage']);
    sqs.destroy();
  });

  it('logs JSON lines with --json', async () => {
    const home = tempHome();
    const server = await startServeProcess(home, ['--log', '--json']);
    const sqs = sqsClient(server.endpoint);
    await expect(sqs.send(new SendMessageCommand({ QueueUrl: queueUrl(server.endpoint, 'none'), MessageBody: 'x' }))).rejects.toMatchObject({ name: 'QueueDoesNotExist' });
    sqs.destroy();
    const { stderr } = await server.stop();
    expect(jsonLines(stderr)).toEqual([expect.objectContaining({ service: 'sqs', action: 'SendMessage', protocol: 'json', status: 400, error: 'QueueDoesNotExist', http: '1.1' })]);
  });

  it('refuses a non-loopback address without keys, and an unprivate credentials file', async () => {
    const home = tempHome();
    expectRun(await runMq(['serve', '--host', '0.0.0.0', '--port', '0'], { home }), 2, '', /^mq: mq serve on 0\.0\.0\.0 needs credentials \(--access-key and --secret-key\): without them it listens on loopback only\n$/);
    const keys = path.join(home, 'keys');
    fs.writeFileSync(keys, `${CREDENTIALS.accessKeyId} ${CREDENTIALS.secretAccessKey}\n`, { mode: 0o644 });
    fs.chmodSync(keys, 0o644);
    expectRun(await runMq(['serve', '--port', '0', '--credentials-file', keys], { home }), 1, '', /may be read by other users \(mode 644\): chmod 600 it\n$/);
    expectRun(await runMq(['serve', '--port', '0', '--access-key', 'only'], { home }), 2, '', /--access-key and --secret-key go together/);
  });

  it('checks signatures with the keys of a credentials file, even on loopback', async () => {
    const home = tempHome();
    const keys = path.join(home, 'keys');
    fs.writeFileSync(keys, `# keys\n${CREDENTIALS.accessKeyId}:${CREDENTIALS.secretAccessKey}\n`, { mode: 0o600 });
    const server = await startServeProcess(home, ['--credentials-file', keys]);
    const good = sqsClient(server.endpoint);
    const bad = sqsClient(server.endpoint, { accessKeyId: CREDENTIALS.accessKeyId, secretAccessKey: 'wrong' });
    await good.send(new SendMessageCommand({ QueueUrl: queueUrl(server.endpoint, 'none'), MessageBody: 'x' })).catch((error: Error) => expect(error.name).toBe('QueueDoesNotExist'));
    await expect(bad.send(new SendMessageCommand({ QueueUrl: queueUrl(server.endpoint, 'none'), MessageBody: 'x' }))).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
    good.destroy();
    bad.destroy();
  });

  it('is loaded by `mq serve` only: a one-shot send evaluates none of the server code', async () => {
    const home = tempHome();
    await runMq(['create', 'q'], { home });
    const probe = `process.argv = [process.argv[0], ${JSON.stringify(MQ_BIN)}, 'send', 'q', 'x'];
      process.on('exit', () => process.stderr.write(JSON.stringify(process.moduleLoadList.filter((m) => /^NativeModule (http|http2|_http_server|_http_common)$/.test(m)))));
      require(${JSON.stringify(MQ_BIN)});`;
    const result = await execa(process.execPath, ['-e', probe], { env: { MQ_HOME: home }, reject: false });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(JSON.parse(String(result.stderr))).toEqual([]);
  });
});

describe('mq serve with the shell on the same queue and stream', () => {
  it('delivers messages sent by `mq send` to SDK receivers, and takes each side\'s receipts on the other', async () => {
    const home = tempHome();
    await runMq(['create', 'jobs'], { home });
    const server = await startServeProcess(home);
    const sqs = sqsClient(server.endpoint);
    const url = queueUrl(server.endpoint, 'jobs');
    expectRun(await runMq(['send', 'jobs', 'from-shell-1', 'from-shell-2', '--attr', 'kind=shell'], { home }), 0, /^\w{26}\n\w{26}\n$/);
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }));
    expect(Messages!.map((m) => m.Body).sort()).toEqual(['from-shell-1', 'from-shell-2']);
    expect(Messages![0]!.MessageAttributes).toEqual({ kind: { DataType: 'String', StringValue: 'shell' } });
    // An API receipt is a receipt `mq ack` takes; the SDK deletes the other.
    expectRun(await runMq(['ack', 'jobs', Messages![0]!.ReceiptHandle!], { home }), 0, '');
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: Messages![1]!.ReceiptHandle! }));
    expect(jsonLines((await runMq(['stats', 'jobs', '--json'], { home })).stdout)[0]).toMatchObject({ visible: 0, inFlight: 0 });
    // A receipt of `mq receive` works with the API; once used, it is stale on both sides.
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'from-api' }));
    const [received] = jsonLines<{ receipt: string; body: string }>((await runMq(['receive', 'jobs'], { home })).stdout);
    expect(received!.body).toBe('from-api');
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: received!.receipt, VisibilityTimeout: 60 }));
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: received!.receipt }));
    const stale = await runMq(['ack', 'jobs', received!.receipt], { home });
    expect(stale.exitCode, describeRun(stale)).toBe(4);
    sqs.destroy();
  });

  it('shows records put by the SDK in `mq tail --shard`, and records put by `mq put` in GetRecords', async () => {
    const home = tempHome();
    await runMq(['create-stream', 'events', '--shards', '2'], { home });
    const server = await startServeProcess(home);
    const kinesis = kinesisClient(server.endpoint);
    const put = await kinesis.send(new PutRecordsCommand({
      StreamName: 'events', Records: ['a', 'b', 'c'].map((data) => ({ Data: Buffer.from(`{"v":"${data}"}`), PartitionKey: 'user-1', ExplicitHashKey: '0' })),
    }));
    expect(put.FailedRecordCount).toBe(0);
    const tail = await runMq(['tail', 'events', '--shard', '0', '--from', 'trim-horizon', '--json'], { home });
    expect(jsonLines<{ sequence: string; data: string; partitionKey: string }>(tail.stdout).map((r) => [r.sequence, r.data, r.partitionKey])).toEqual(
      put.Records!.map((r, i) => [r.SequenceNumber, `{"v":"${['a', 'b', 'c'][i]}"}`, 'user-1']),
    );
    expectRun(await runMq(['put', 'events', 'from-shell', '--explicit-hash-key', '0'], { home }), 0, /^shardId-000000000000 \d{33}\n$/);
    const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: 'events', ShardId: 'shardId-000000000000', ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: put.Records![2]!.SequenceNumber }));
    const { Records } = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
    expect(Records!.map((r) => Buffer.from(r.Data!).toString())).toEqual(['from-shell']);
    kinesis.destroy();
  });

  it('8 SDK clients and 4 `mq work` processes share one queue: every message processed once, none lost', async () => {
    const home = tempHome();
    const out = path.join(home, 'processed.log');
    const COUNT = 400;
    await runMq(['create', 'jobs', '--visibility-timeout', '5m'], { home });
    const server = await startServeProcess(home);
    const url = queueUrl(server.endpoint, 'jobs');
    const feeder = sqsClient(server.endpoint);
    for (let i = 0; i < COUNT; i += 10) {
      await feeder.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: Array.from({ length: 10 }, (_, j) => ({ Id: `m${i + j}`, MessageBody: `m${i + j}` })) }));
    }
    feeder.destroy();
    const workers = Array.from({ length: 4 }, () => spawnMq(
      ['work', 'jobs', '--concurrency', '2', '--until-empty', '--', 'sh', '-c', 'printf "work %s\\n" "$(cat)" >> "$OUT"'],
      { home, env: { OUT: out } },
    ));
    const clients = Array.from({ length: 8 }, (_, n) => (async () => {
      const sqs = sqsClient(server.endpoint);
      for (let idle = 0; idle < 3;) {
        const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
        if (!Messages) {
          idle++;
          continue;
        }
        idle = 0;
        fs.appendFileSync(out, Messages.map((m) => `sdk${n} ${m.Body}\n`).join(''));
        for (const m of Messages) await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle! }));
      }
      sqs.destroy();
    })());
    await Promise.all(clients);
    for (const worker of workers) expect((await worker).exitCode).toBe(0);
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n');
    const bodies = lines.map((line) => line.split(' ')[1]!);
    expect(new Set(bodies).size).toBe(COUNT);
    expect(bodies).toHaveLength(COUNT);
    expect(lines.some((line) => line.startsWith('work '))).toBe(true);
    expect(lines.some((line) => line.startsWith('sdk'))).toBe(true);
    expect(jsonLines((await runMq(['stats', 'jobs', '--json'], { home })).stdout)[0]).toMatchObject({ visible: 0, inFlight: 0, delayed: 0 });
  });
});
