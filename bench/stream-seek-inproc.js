// Times seeks by arrival time inside one process (no start-up): for each stream named, a read of one
// record AT_TIMESTAMP in the middle of its shard, RUNS times. Prints {"<stream>": {records, target,
// medianMs, minMs}, ...}. The target times are printed so the CLI runs can seek to the same place.
//
//   node bench/stream-seek-inproc.js HOME RUNS STREAM...
import { openBackend } from '../dist/lib/index.js';

const [home, runsText, ...streams] = process.argv.slice(2);
const store = openBackend({ home }).streams;
const shard = 'shardId-000000000000';
const result = {};
const targets = {};
for (const stream of streams) {
  const [first] = (await store.read(stream, shard, { type: 'trim-horizon' }, { limit: 1 })).records;
  const [last] = (await store.read(stream, shard, { type: 'last', count: 1 })).records;
  targets[stream] = Math.floor((first.arrivedAt + last.arrivedAt) / 2);
  result[stream] = { records: Number(last.sequence.slice(-20)), target: targets[stream], times: [] };
}
for (let i = 0; i < Number(runsText); i++) {
  for (const stream of streams) {
    const started = performance.now();
    const { records } = await store.read(stream, shard, { type: 'at-timestamp', timestamp: targets[stream] }, { limit: 1 });
    result[stream].times.push(performance.now() - started);
    if (records.length !== 1 || records[0].arrivedAt < targets[stream]) throw new Error(`seek in ${stream} found the wrong record`);
  }
}
for (const entry of Object.values(result)) {
  const sorted = [...entry.times].sort((a, b) => a - b);
  entry.medianMs = sorted[Math.floor(sorted.length / 2)];
  entry.minMs = sorted[0];
  delete entry.times;
}
console.log(JSON.stringify(result));
