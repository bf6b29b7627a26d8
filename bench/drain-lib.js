// Drains a queue in one process through the library (receive with delete, BATCH at a time), the same
// engine the CLI uses minus process start-up per batch. Prints {"count": N, "ms": M}.
//
//   node bench/drain-lib.js HOME QUEUE BATCH
import { loadEngine } from './lib/build.js';

const { openBackend } = await loadEngine();

const [home, queue, batchText] = process.argv.slice(2);
const backend = openBackend({ home });
const max = Number(batchText);
let count = 0;
const started = performance.now();
for (;;) {
  const messages = await backend.queues.receive(queue, { max, deleteOnReceive: true });
  if (messages.length === 0) break;
  count += messages.length;
}
await backend.close();
console.log(JSON.stringify({ count, ms: performance.now() - started }));
