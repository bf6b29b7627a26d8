// One FIFO/standard throughput measurement through the library, in one process: send COUNT messages in
// batches of BATCH spread over GROUPS message groups (0 = a standard queue), then receive-and-ack them
// in batches of BATCH. Prints {"sendMs": ..., "receiveMs": ..., "count": N}. With BENCH_MQ_URL set, on
// that NATS cluster instead, HOME naming the namespace.
//
//   node bench/fifo-lib.js HOME QUEUE COUNT BATCH GROUPS DURABILITY
import { loadEngine } from './lib/build.js';

const { openBackend } = await loadEngine();
const [home, queue, countText, batchText, groupsText, durability] = process.argv.slice(2);
const count = Number(countText);
const batch = Number(batchText);
const groups = Number(groupsText);
const backend = openBackend(process.env.BENCH_MQ_URL ? { url: process.env.BENCH_MQ_URL, namespace: home } : { home, durability });
await backend.queues.create(queue, groups > 0 ? { contentDedup: true } : {});

let sent = 0;
const sendStarted = performance.now();
while (sent < count) {
  const requests = [];
  for (let i = 0; i < batch && sent < count; i++, sent++) {
    requests.push(groups > 0 ? { body: `message ${sent}`, group: `g${sent % groups}` } : { body: `message ${sent}` });
  }
  for (const outcome of await backend.queues.send(queue, requests)) if (!outcome.ok) throw outcome.error;
}
const sendMs = performance.now() - sendStarted;

let received = 0;
const receiveStarted = performance.now();
for (;;) {
  const messages = await backend.queues.receive(queue, { max: batch });
  if (messages.length === 0) {
    if (received >= count || performance.now() - receiveStarted > 600_000) break;
    continue;
  }
  received += messages.length;
  await backend.queues.ack(queue, messages.map((m) => m.receipt));
}
const receiveMs = performance.now() - receiveStarted;
await backend.close();
if (received !== count) throw new Error(`received ${received} of ${count}`);
console.log(JSON.stringify({ sendMs, receiveMs, count }));
