// Stream case 2: `mq replay` of a stream of about REPLAY_MIB MiB (one shard) into a pipe, against `cat` of
// its segment files into the same kind of pipe. Both outputs go through `cat > /dev/null`.
import fs from 'node:fs';
import path from 'node:path';
import { streamConfig as config } from './stream-config.js';
import { mq, mqEnv } from './lib/mq.js';
import { build } from './lib/build.js';
import { timed } from './lib/proc.js';
import { fmtCount, fmtMs, fmtRatio, verdict } from './lib/stats.js';
import { putFile } from './stream-put.js';

function segmentFiles(home, stream) {
  const dir = path.join(home, 'streams', stream, 'shards', 'shardId-000000000000');
  return fs.readdirSync(dir).filter((f) => f.endsWith('.ndjson')).sort().map((f) => path.join(dir, f));
}

const bytesOf = (files) => files.reduce((sum, f) => sum + fs.statSync(f).size, 0);

export function benchStreamReplay({ ws, linesFile, log }) {
  const home = ws.path('replay-home');
  const target = config.replayMiB * 1024 * 1024;
  mq(home, ['create-stream', 'replay', '--durability', 'none'], { stdio: 'ignore' });
  while (bytesOf(segmentFiles(home, 'replay')) < target) {
    log(`replay: filling the stream (${fmtCount(Math.round(bytesOf(segmentFiles(home, 'replay')) / 2 ** 20))} of ${config.replayMiB} MiB)`);
    putFile(home, 'replay', linesFile);
  }
  const files = segmentFiles(home, 'replay');
  const bytes = bytesOf(files);
  const records = Number(JSON.parse(String(mq(home, ['shards', 'replay', '--json']).stdout)).records);
  const quoted = files.map((f) => `'${f}'`).join(' ');
  const env = mqEnv(home);
  const catRun = () => timed('sh', ['-c', `cat ${quoted} | cat > /dev/null`]).ms;
  const replayRun = () => timed('sh', ['-c', `'${process.execPath}' '${build.bin}' replay replay --from 0 | cat > /dev/null`], { env }).ms;
  catRun(); // warm the page cache
  const cat = [];
  const replay = [];
  for (let i = 0; i < config.runs; i++) {
    log(`replay: cat and mq replay, run ${i + 1}/${config.runs}`);
    cat.push(catRun());
    replay.push(replayRun());
  }
  fs.rmSync(home, { recursive: true, force: true });
  const catMs = Math.min(...cat);
  const replayMs = Math.min(...replay);
  const mbps = (ms) => `${((bytes / 2 ** 20) / (ms / 1000)).toFixed(0)} MiB/s`;
  return {
    table: {
      title: `S2. Replay of ${fmtCount(records)} records (${(bytes / 2 ** 20).toFixed(0)} MiB of segments, one shard) into a pipe (best of ${config.runs})`,
      headers: ['what', 'time', 'segment bytes/s', 'vs cat', 'target', 'result'],
      rows: [
        ['cat SEGMENTS | cat > /dev/null', fmtMs(catMs), mbps(catMs), '1.00x', '', '-'],
        ['mq replay --from 0 | cat > /dev/null', fmtMs(replayMs), mbps(replayMs), fmtRatio(catMs / replayMs), '>=0.25x', verdict(catMs / replayMs >= 0.25)],
      ],
      notes: [
        'mq replay verifies every line\'s checksum and prints only the data of each record (about 100 of its 190 bytes).',
      ],
    },
  };
}
