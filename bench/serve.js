// npm run bench:serve: mq serve through the AWS SDK for JavaScript v3, beside kinesalite (the Kinesis
// emulator users run instead; a separate process too, driven by the same SDK code over HTTP/1.1, which is
// all it speaks) and beside mq's own library and CLI on the same machine, in one run, with ratios.
// Queues and streams use durability none (the page cache, like kinesalite's memory), one shard, bodies
// and records of BENCH_BODY_BYTES (100). Sizes: BENCH_SERVE_MESSAGES (20,000), BENCH_SERVE_RECORDS
// (100,000), BENCH_SERVE_LATENCY (500 requests); BENCH_QUICK=1 for a smoke run.
// The SDK floor rows drive a server that does no work (bench/serve-floor-server.js: a fixed valid reply
// to each action) with the same SDK code: what the SDK and the round trip cost by themselves, the most
// any server can reach through the SDK on this machine. BENCH_SERVE_NODE_ARGS: node options for the mq
// serve process (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it under this load).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand, KinesisClient, PutRecordCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import {
  CreateQueueCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient, SendMessageBatchCommand, SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { body, writeBodiesFile } from './lib/bodies.js';
import { build, loadEngine, snapshotBuild } from './lib/build.js';
import { int, repoRoot } from './lib/config.js';
import { mq } from './lib/mq.js';
import { fmtCount, fmtMs, fmtRate, fmtRatio, rate, verdict } from './lib/stats.js';
import { printTable } from './lib/table.js';
import { createWorkspace } from './lib/workspace.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const quick = process.env.BENCH_QUICK === '1';
const MESSAGES = int('BENCH_SERVE_MESSAGES', quick ? 2_000 : 20_000);
const RECORDS = int('BENCH_SERVE_RECORDS', quick ? 5_000 : 100_000);
const LATENCY = int('BENCH_SERVE_LATENCY', quick ? 100 : 500);
const BYTES = int('BENCH_BODY_BYTES', 100);
const CONCURRENCY = 8;
const CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' };

const ws = createWorkspace(process.env.BENCH_DIR || path.join(os.tmpdir(), 'mq-bench-serve'), process.env.BENCH_KEEP === '1');
snapshotBuild(ws.path('build'));
const { openBackend } = await loadEngine();
const home = ws.path('home');
const children = [];
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
  ws.cleanup();
});

// Starts a server process and resolves with the first line it prints (its endpoint or port).
function startProcess(args, env = {}) {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('\n')) resolve(out.split('\n')[0]);
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}`)));
  });
}

async function timedMs(fn) {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

// Runs `task(i)` for i in [0, count), `parallel` at a time.
async function pool(count, parallel, task) {
  let next = 0;
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < count) await task(next++);
  }));
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function latencies(count, fn) {
  const times = [];
  for (let i = 0; i < count; i++) times.push(await timedMs(() => fn(i)));
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

console.log(`mq serve benchmark: ${fmtCount(MESSAGES)} messages, ${fmtCount(RECORDS)} records of ${BYTES} B; ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(2)}`);
const serveNodeArgs = (process.env.BENCH_SERVE_NODE_ARGS ?? '').split(' ').filter(Boolean);
const endpoint = await startProcess([...serveNodeArgs, build.bin, 'serve', '--port', '0'], { MQ_HOME: home, MQ_DURABILITY: 'none' });
const kinesalitePort = await startProcess([path.join(repoRoot, 'bench', 'serve-kinesalite-server.js')]);
const kinesaliteEndpoint = `http://127.0.0.1:${kinesalitePort}`;
const [floorH1Port, floorH2Port] = (await startProcess([path.join(repoRoot, 'bench', 'serve-floor-server.js')], { FLOOR_MESSAGES: String(MESSAGES) })).split(' ');
const client = { endpoint, region: 'us-east-1', credentials: CREDENTIALS };
const sqs = new SQSClient(client);
const kinesisH2 = new KinesisClient(client);
const kinesisH1 = new KinesisClient({ ...client, requestHandler: new NodeHttpHandler() });
const kinesalite = new KinesisClient({ ...client, endpoint: kinesaliteEndpoint, requestHandler: new NodeHttpHandler() });
const floorSqs = new SQSClient({ ...client, endpoint: `http://127.0.0.1:${floorH1Port}` });
const floorH2 = new KinesisClient({ ...client, endpoint: `http://127.0.0.1:${floorH2Port}` });
const floorH1 = new KinesisClient({ ...client, endpoint: `http://127.0.0.1:${floorH1Port}`, requestHandler: new NodeHttpHandler() });
const backend = openBackend({ home, durability: 'none' });

// ---- SQS ----
const entries = (from) => Array.from({ length: 10 }, (_, j) => ({ Id: `e${j}`, MessageBody: body(from + j, BYTES) }));
const batches = MESSAGES / 10;
const sqsRows = [];
const queueUrl = async (name, c = sqs) => (await c.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl;

await backend.queues.create('lib-q', { durability: 'none' });
const libSendMs = await timedMs(async () => {
  for (let b = 0; b < batches; b++) await backend.queues.send('lib-q', entries(b * 10).map((e) => ({ body: e.MessageBody })));
});
const libReceiveMs = await timedMs(async () => {
  for (;;) {
    const got = await backend.queues.receive('lib-q', { max: 10 });
    if (got.length === 0) break;
    await backend.queues.ack('lib-q', got.map((m) => m.receipt));
  }
});

const sendAll = (c, url) => timedMs(async () => {
  for (let b = 0; b < batches; b++) await c.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries(b * 10) }));
});
const apiUrl = await queueUrl('api-q');
const apiSendMs = await sendAll(sqs, apiUrl);
const drain = async (url, parallel, c = sqs) => {
  let done = false;
  await pool(Number.MAX_SAFE_INTEGER, parallel, async () => {
    if (done) throw new Error('stop');
    const { Messages } = await c.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
    if (!Messages) {
      done = true;
      throw new Error('stop');
    }
    await c.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: Messages.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })) }));
  }).catch((error) => {
    if (error.message !== 'stop') throw error;
  });
};
const apiReceiveMs = await timedMs(() => drain(apiUrl, 1));
const parUrl = await queueUrl('api-par');
const apiSendParMs = await timedMs(() => pool(batches, CONCURRENCY, (b) => sqs.send(new SendMessageBatchCommand({ QueueUrl: parUrl, Entries: entries(b * 10) }))));
const apiReceiveParMs = await timedMs(() => drain(parUrl, CONCURRENCY));
const floorUrl = await queueUrl('floor-q', floorSqs);
const floorSendMs = await sendAll(floorSqs, floorUrl);
const floorReceiveMs = await timedMs(() => drain(floorUrl, 1, floorSqs));

const bodies = writeBodiesFile(ws.path('bodies.txt'), MESSAGES, BYTES);
mq(home, ['create', 'cli-q', '--durability', 'none'], { stdio: 'ignore' });
const cliSendMs = mq(home, ['send', 'cli-q'], { stdio: [fs.openSync(bodies, 'r'), 'ignore', 'pipe'] }).ms;
let cliReceiveMs = 0;
for (let left = MESSAGES; left > 0; left -= 10_000) cliReceiveMs += mq(home, ['receive', 'cli-q', '-n', '10000', '--delete'], { stdio: ['ignore', 'ignore', 'pipe'] }).ms;

const sendLatency = await latencies(LATENCY, (i) => sqs.send(new SendMessageCommand({ QueueUrl: apiUrl, MessageBody: body(i, BYTES) })));
const receiveLatency = await latencies(LATENCY, () => sqs.send(new ReceiveMessageCommand({ QueueUrl: apiUrl, MaxNumberOfMessages: 1 })));

const libSend = rate(MESSAGES, libSendMs);
sqsRows.push(['library: send, batches of 10', fmtRate(libSend), '1.00x', '']);
sqsRows.push(['API: SendMessageBatch, 1 client', fmtRate(rate(MESSAGES, apiSendMs)), fmtRatio(rate(MESSAGES, apiSendMs) / libSend), `target ≥0.5x library: ${verdict(rate(MESSAGES, apiSendMs) / libSend >= 0.5)}`]);
sqsRows.push([`API: SendMessageBatch, ${CONCURRENCY} in flight`, fmtRate(rate(MESSAGES, apiSendParMs)), fmtRatio(rate(MESSAGES, apiSendParMs) / libSend), '']);
sqsRows.push(['SDK floor: SendMessageBatch to a no-op server, 1 client', fmtRate(rate(MESSAGES, floorSendMs)), fmtRatio(rate(MESSAGES, floorSendMs) / libSend), '']);
sqsRows.push(['CLI: mq send < lines (one process)', fmtRate(rate(MESSAGES, cliSendMs)), fmtRatio(rate(MESSAGES, cliSendMs) / libSend), '']);
const libReceive = rate(MESSAGES, libReceiveMs);
sqsRows.push(['library: receive 10 + ack', fmtRate(libReceive), '1.00x', '']);
sqsRows.push(['API: ReceiveMessage 10 + DeleteMessageBatch, 1 client', fmtRate(rate(MESSAGES, apiReceiveMs)), fmtRatio(rate(MESSAGES, apiReceiveMs) / libReceive), '']);
sqsRows.push([`API: the same, ${CONCURRENCY} in flight`, fmtRate(rate(MESSAGES, apiReceiveParMs)), fmtRatio(rate(MESSAGES, apiReceiveParMs) / libReceive), '']);
sqsRows.push(['SDK floor: the same to a no-op server, 1 client', fmtRate(rate(MESSAGES, floorReceiveMs)), fmtRatio(rate(MESSAGES, floorReceiveMs) / libReceive), '']);
sqsRows.push(['CLI: mq receive -n 10000 --delete', fmtRate(rate(MESSAGES, cliReceiveMs)), fmtRatio(rate(MESSAGES, cliReceiveMs) / libReceive), '']);
printTable(`SQS: ${fmtCount(MESSAGES)} messages of ${BYTES} B (ratio: to the library)`, ['case', 'rate', 'ratio', 'target'], sqsRows);
printTable(`SQS request latency (${LATENCY} sequential requests, one client, HTTP/1.1)`, ['request', 'p50', 'p99'], [
  ['SendMessage', fmtMs(sendLatency.p50), fmtMs(sendLatency.p99)],
  ['ReceiveMessage (empty or 1 message)', fmtMs(receiveLatency.p50), fmtMs(receiveLatency.p99)],
]);

// ---- Kinesis ----
const records = (from, n) => Array.from({ length: n }, (_, i) => ({ Data: Buffer.from(body(from + i, BYTES)), PartitionKey: `k${from + i}` }));
async function putAll(k, stream) {
  return timedMs(async () => {
    for (let sent = 0; sent < RECORDS; sent += 500) {
      const result = await k.send(new PutRecordsCommand({ StreamName: stream, Records: records(sent, Math.min(500, RECORDS - sent)) }));
      if (result.FailedRecordCount) throw new Error(`${result.FailedRecordCount} records failed`);
    }
  });
}
async function getAll(k, stream) {
  let got = 0;
  const ms = await timedMs(async () => {
    let { ShardIterator: it } = await k.send(new GetShardIteratorCommand({ StreamName: stream, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }));
    while (it && got < RECORDS) {
      const result = await k.send(new GetRecordsCommand({ ShardIterator: it, Limit: 10_000 }));
      got += result.Records.length;
      it = result.NextShardIterator;
    }
  });
  if (got !== RECORDS) throw new Error(`read ${got} of ${RECORDS} records`);
  return ms;
}
async function kinesisCase(k, stream) {
  await k.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 1 }));
  await new Promise((resolve) => setTimeout(resolve, 100));
  const put = await putAll(k, stream);
  const get = await getAll(k, stream);
  const latency = await latencies(LATENCY, (i) => k.send(new PutRecordCommand({ StreamName: stream, Data: Buffer.from(body(i, BYTES)), PartitionKey: `l${i}` })));
  return { put: rate(RECORDS, put), get: rate(RECORDS, get), latency };
}
const kl = await kinesisCase(kinesalite, 'bench');
const h2 = await kinesisCase(kinesisH2, 'bench-h2');
const h1 = await kinesisCase(kinesisH1, 'bench-h1');
const floor2 = await kinesisCase(floorH2, 'floor-h2');
const floor1 = await kinesisCase(floorH1, 'floor-h1');

await backend.streams.create('lib-s', { shardCount: 1, durability: 'none' });
const libPutMs = await timedMs(async () => {
  for (let sent = 0; sent < RECORDS; sent += 500) {
    await backend.streams.put('lib-s', records(sent, Math.min(500, RECORDS - sent)).map((r) => ({ data: r.Data, partitionKey: r.PartitionKey })), { atomic: true });
  }
});
const libGetMs = await timedMs(async () => {
  let position = { type: 'trim-horizon' };
  for (let got = 0; got < RECORDS;) {
    const result = await backend.streams.read('lib-s', 'shardId-000000000000', position, { limit: 10_000, dataAs: 'bytes' });
    got += result.records.length;
    position = result.next;
  }
});
mq(home, ['create-stream', 'cli-s', '--durability', 'none'], { stdio: 'ignore' });
const cliPutMs = mq(home, ['put', 'cli-s'], { stdio: [fs.openSync(bodies, 'r'), 'ignore', 'pipe'] }).ms;
const cliLines = Math.min(RECORDS, MESSAGES);
const cliTailMs = mq(home, ['tail', 'cli-s', '--from', 'trim-horizon', '--json'], { stdio: ['ignore', 'ignore', 'pipe'] }).ms;

const kRows = [
  ['kinesalite, AWS SDK (HTTP/1.1)', fmtRate(kl.put), fmtRate(kl.get), '1.00x', '1.00x', ''],
  ['mq serve, AWS SDK default (HTTP/2)', fmtRate(h2.put), fmtRate(h2.get), fmtRatio(h2.put / kl.put), fmtRatio(h2.get / kl.get), `≥10x: put ${verdict(h2.put / kl.put >= 10)}, get ${verdict(h2.get / kl.get >= 10)}`],
  ['mq serve, AWS SDK over HTTP/1.1', fmtRate(h1.put), fmtRate(h1.get), fmtRatio(h1.put / kl.put), fmtRatio(h1.get / kl.get), ''],
  ['SDK floor: no-op server (HTTP/2)', fmtRate(floor2.put), fmtRate(floor2.get), fmtRatio(floor2.put / kl.put), fmtRatio(floor2.get / kl.get), ''],
  ['SDK floor: no-op server (HTTP/1.1)', fmtRate(floor1.put), fmtRate(floor1.get), fmtRatio(floor1.put / kl.put), fmtRatio(floor1.get / kl.get), ''],
  ['mq library (put 500, read 10,000)', fmtRate(rate(RECORDS, libPutMs)), fmtRate(rate(RECORDS, libGetMs)), fmtRatio(rate(RECORDS, libPutMs) / kl.put), fmtRatio(rate(RECORDS, libGetMs) / kl.get), ''],
  [`mq CLI (put < ${fmtCount(cliLines)} lines, tail --json)`, fmtRate(rate(cliLines, cliPutMs)), fmtRate(rate(cliLines, cliTailMs)), fmtRatio(rate(cliLines, cliPutMs) / kl.put), fmtRatio(rate(cliLines, cliTailMs) / kl.get), ''],
];
printTable(`Kinesis: ${fmtCount(RECORDS)} records of ${BYTES} B into one shard, PutRecords of 500, GetRecords of 10,000 (ratio: to kinesalite)`, ['case', 'put', 'get', 'put ratio', 'get ratio', 'target'], kRows);
printTable(`Kinesis PutRecord latency (${LATENCY} sequential requests, one client)`, ['server', 'p50', 'p99'], [
  ['kinesalite (HTTP/1.1)', fmtMs(kl.latency.p50), fmtMs(kl.latency.p99)],
  ['mq serve (HTTP/2)', fmtMs(h2.latency.p50), fmtMs(h2.latency.p99)],
  ['mq serve (HTTP/1.1)', fmtMs(h1.latency.p50), fmtMs(h1.latency.p99)],
  ['SDK floor: no-op server (HTTP/2)', fmtMs(floor2.latency.p50), fmtMs(floor2.latency.p99)],
  ['SDK floor: no-op server (HTTP/1.1)', fmtMs(floor1.latency.p50), fmtMs(floor1.latency.p99)],
]);

for (const c of [sqs, kinesisH2, kinesisH1, kinesalite, floorSqs, floorH2, floorH1]) c.destroy();
await backend.close();
// Stopped gently, and waited for (a few seconds at most), so that a profiled mq serve writes its profile.
const exited = children.filter((child) => child.exitCode === null && child.signalCode === null).map((child) => new Promise((resolve) => child.once('exit', resolve)));
for (const child of children) child.kill('SIGTERM');
await Promise.race([Promise.all(exited), new Promise((resolve) => setTimeout(resolve, 5000))]);
process.exit(0);
