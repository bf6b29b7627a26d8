// The SDK floor for `npm run bench:serve`: a server that does no work, only answers each action the
// benchmark sends with a minimal valid reply (prepared once where it can be), so that the AWS SDK's own
// cost per request (signing, serializing, parsing, MD5 checks, and the round trip between two processes)
// can be read apart from mq serve's. A separate process, as mq serve and kinesalite are. Prints
// "<HTTP/1.1 port> <HTTP/2 port>" (both on 127.0.0.1), then serves until killed.
// The queue is endless until a ReceiveMessage finds it drained: FLOOR_MESSAGES (default 20,000) messages
// per QueueUrl are handed out, 10 at a time, then the queue answers empty (the benchmark's drain stops).
import { createHash } from 'node:crypto';
import http from 'node:http';
import http2 from 'node:http2';

const MESSAGES = Number(process.env.FLOOR_MESSAGES || 20_000);
const RECORDS_PER_READ = 10_000;
const BYTES = Number(process.env.BENCH_BODY_BYTES || 100);

const md5 = (text) => createHash('md5').update(text, 'utf8').digest('hex');
const messageBody = 'x'.repeat(BYTES);
const receiveTen = JSON.stringify({
  Messages: Array.from({ length: 10 }, (_, i) => ({ MessageId: `m${i}`, ReceiptHandle: `r${i}`, MD5OfBody: md5(messageBody), Body: messageBody })),
});
const data = Buffer.alloc(BYTES, 'x').toString('base64');
const getRecords = JSON.stringify({
  Records: Array.from({ length: RECORDS_PER_READ }, (_, i) => ({
    SequenceNumber: String(49_000_000_000_000_000_000_000_000_000_000_000_000_000_000n + BigInt(i)),
    ApproximateArrivalTimestamp: 1_700_000_000.123,
    Data: data,
    PartitionKey: `k${i}`,
  })),
  NextShardIterator: 'floor-iterator',
  MillisBehindLatest: 0,
});
const putRecords = JSON.stringify({
  FailedRecordCount: 0,
  Records: Array.from({ length: 500 }, (_, i) => ({ SequenceNumber: String(49_000_000_000_000_000_000_000_000_000_000_000_000_000_000n + BigInt(i)), ShardId: 'shardId-000000000000' })),
});
const putRecord = JSON.stringify({ SequenceNumber: '49000000000000000000000000000000000000000000000000000000', ShardId: 'shardId-000000000000' });
const delivered = new Map();

// The reply to one action; SendMessage(Batch) echoes the MD5s the SDK checks, which needs the request.
function answer(action, input, host) {
  switch (action) {
    case 'CreateQueue': return JSON.stringify({ QueueUrl: `http://${host}/000000000000/${input.QueueName}` });
    case 'SendMessage': return JSON.stringify({ MessageId: 'm', MD5OfMessageBody: md5(input.MessageBody) });
    case 'SendMessageBatch': return JSON.stringify({ Successful: input.Entries.map((e) => ({ Id: e.Id, MessageId: 'm', MD5OfMessageBody: md5(e.MessageBody) })), Failed: [] });
    case 'ReceiveMessage': {
      const given = delivered.get(input.QueueUrl) ?? 0;
      if (given >= MESSAGES) return '{}';
      delivered.set(input.QueueUrl, given + 10);
      return receiveTen;
    }
    case 'DeleteMessageBatch': return JSON.stringify({ Successful: input.Entries.map((e) => ({ Id: e.Id })), Failed: [] });
    case 'CreateStream': return '{}';
    case 'GetShardIterator': return JSON.stringify({ ShardIterator: 'floor-iterator' });
    case 'PutRecords': return putRecords;
    case 'PutRecord': return putRecord;
    case 'GetRecords': return getRecords;
    default: return null;
  }
}

function handle(req, res) {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const action = target.slice(target.lastIndexOf('.') + 1);
    const needsInput = action.startsWith('Send') || action === 'CreateQueue' || action === 'ReceiveMessage' || action === 'DeleteMessageBatch';
    const text = answer(action, needsInput ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : null, req.headers.host ?? req.headers[':authority']);
    const type = target.startsWith('AmazonSQS') ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1';
    if (text === null) {
      res.writeHead(400, { 'content-type': type, 'x-amzn-errortype': 'UnknownOperationException' });
      res.end(JSON.stringify({ __type: 'UnknownOperationException', message: action }));
      return;
    }
    res.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
    res.end(text);
  });
}

const h1 = http.createServer({ keepAliveTimeout: 60_000 }, handle);
const h2 = http2.createServer({ settings: { initialWindowSize: 16 * 1024 * 1024 } }, handle);
h2.on('session', (session) => session.once('connect', () => session.setLocalWindowSize(32 * 1024 * 1024)));
await Promise.all([h1, h2].map((server) => new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))));
console.log(`${h1.address().port} ${h2.address().port}`);
