// Fills a queue with a backlog through the engine itself (the library, durability none, 1,000 per call),
// so the files are exactly what `mq send` writes. Prints {"count": N, "ms": M}.
//
//   node bench/make-backlog.js HOME QUEUE COUNT [BODY_BYTES]
import { loadEngine } from './lib/build.js';

const { openBackend } = await loadEngine();
import { body } from './lib/bodies.js';

const [home, queue, countText, bytesText] = process.argv.slice(2);
const count = Number(countText);
const bytes = Number(bytesText ?? 100);
const backend = openBackend({ home, durability: 'none' });
await backend.queues.create(queue, { durability: 'none' });
const started = performance.now();
for (let sent = 0; sent < count;) {
  const n = Math.min(1_000, count - sent);
  const batch = [];
  for (let i = 0; i < n; i++) batch.push({ body: body(sent + i, bytes) });
  await backend.queues.send(queue, batch);
  sent += n;
}
await backend.close();
console.log(JSON.stringify({ count, ms: performance.now() - started }));
