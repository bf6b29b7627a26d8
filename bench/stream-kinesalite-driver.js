// The put/get workload against kinesalite (an in-memory Kinesis emulator on localhost) through the AWS
// SDK, as a user would run it instead of mq: PutRecords in batches of 500 (the API maximum), then
// GetRecords with a limit of 10,000 until the shard is read. Prints {"put": {count, ms}, "get": {count, ms}}.
//
//   node bench/stream-kinesalite-driver.js COUNT RECORD_BYTES
import kinesalite from 'kinesalite';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import {
  CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand, KinesisClient, PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { body } from './lib/bodies.js';

const [countText, bytesText] = process.argv.slice(2);
const count = Number(countText);
const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0 });
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const client = new KinesisClient({
  endpoint: `http://127.0.0.1:${server.address().port}`,
  region: 'us-east-1',
  credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  // The SDK's default HTTP/2 handler is refused by kinesalite's HTTP/1 server.
  requestHandler: new NodeHttpHandler(),
});
await client.send(new CreateStreamCommand({ StreamName: 'bench', ShardCount: 1 }));
await new Promise((resolve) => setTimeout(resolve, 50));

let started = performance.now();
for (let sent = 0; sent < count;) {
  const n = Math.min(500, count - sent);
  const Records = Array.from({ length: n }, (_, i) => ({ Data: Buffer.from(body(sent + i, Number(bytesText))), PartitionKey: `k${sent + i}` }));
  const result = await client.send(new PutRecordsCommand({ StreamName: 'bench', Records }));
  if (result.FailedRecordCount) throw new Error(`${result.FailedRecordCount} records failed`);
  sent += n;
}
const put = { count, ms: performance.now() - started };

started = performance.now();
let { ShardIterator: iterator } = await client.send(new GetShardIteratorCommand({ StreamName: 'bench', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }));
let got = 0;
while (iterator && got < count) {
  const result = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
  got += result.Records.length;
  iterator = result.NextShardIterator;
}
const get = { count: got, ms: performance.now() - started };
server.close();
console.log(JSON.stringify({ put, get }));
