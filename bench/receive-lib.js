// In-process receive latency through the library: RUNS single-message receives on one queue, each timed
// alone (open queue, walk buckets, claim one). Prints {"runs": N, "medianMs": M, "ms": [...]}.
//
//   node bench/receive-lib.js HOME QUEUE RUNS
import { loadEngine } from './lib/build.js';

const { openBackend } = await loadEngine();

const [home, queue, runsText] = process.argv.slice(2);
const backend = openBackend({ home });
const times = [];
for (let i = 0; i < Number(runsText); i++) {
  const started = performance.now();
  const messages = await backend.queues.receive(queue, { max: 1 });
  times.push(performance.now() - started);
  if (messages.length !== 1) throw new Error(`receive ${i + 1} on ${queue} returned ${messages.length} messages`);
}
await backend.close();
const sorted = [...times].sort((a, b) => a - b);
console.log(JSON.stringify({ runs: times.length, medianMs: sorted[Math.floor(sorted.length / 2)], ms: times }));
