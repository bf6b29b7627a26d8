// Stream case 3: `--from TIME` in a shard of 10 million records against one of 10 thousand: the seek is
// a binary search over segments and byte offsets, so its cost should hardly grow (target: within 2x).
// Timed through the CLI (`mq tail --from TIME -n 1`, start-up included) and inside one process.
import fs from 'node:fs';
import path from 'node:path';
import { streamConfig as config } from './stream-config.js';
import { mq } from './lib/mq.js';
import { runJson } from './lib/proc.js';
import { fmtCount, fmtMs, fmtRatio, median, verdict } from './lib/stats.js';
import { putFile } from './stream-put.js';

const inproc = path.join(path.dirname(new URL(import.meta.url).pathname), 'stream-seek-inproc.js');

function writeShortLines(file, count) {
  const fd = fs.openSync(file, 'w');
  try {
    for (let start = 0; start < count; start += 100_000) {
      let text = '';
      for (let i = start; i < Math.min(count, start + 100_000); i++) text += `event ${i}\n`;
      fs.writeSync(fd, text);
    }
  } finally {
    fs.closeSync(fd);
  }
}

export function benchStreamSeek({ ws, log }) {
  const home = ws.path('seek-home');
  const streams = { big: config.seekBig, small: config.seekSmall };
  for (const [stream, count] of Object.entries(streams)) {
    log(`seek: putting ${fmtCount(count)} records into "${stream}"`);
    const file = ws.path(`seek-${stream}.txt`);
    writeShortLines(file, count);
    mq(home, ['create-stream', stream, '--durability', 'none'], { stdio: 'ignore' });
    putFile(home, stream, file);
    fs.rmSync(file);
  }
  log(`seek: ${config.seekRuns} seeks in each, in one process`);
  const lib = runJson(process.execPath, [inproc, home, String(config.seekRuns), 'big', 'small']);
  log(`seek: ${config.seekRuns} runs each of mq tail --from TIME -n 1`);
  const cli = { big: [], small: [] };
  for (let i = 0; i < config.seekRuns; i++) {
    for (const stream of ['big', 'small']) {
      const from = new Date(lib[stream].target).toISOString();
      cli[stream].push(mq(home, ['tail', stream, '--from', from, '-n', '1'], { stdio: ['ignore', 'ignore', 'pipe'] }).ms);
    }
  }
  const segments = (stream) => fs.readdirSync(path.join(home, 'streams', stream, 'shards', 'shardId-000000000000')).filter((f) => f.endsWith('.ndjson')).length;
  const bigSegments = segments('big');
  const bigBytes = fs.readdirSync(path.join(home, 'streams', 'big', 'shards', 'shardId-000000000000'))
    .reduce((sum, f) => sum + fs.statSync(path.join(home, 'streams', 'big', 'shards', 'shardId-000000000000', f)).size, 0);
  fs.rmSync(home, { recursive: true, force: true });
  const cliRatio = median(cli.big) / median(cli.small);
  const libRatio = lib.big.medianMs / lib.small.medianMs;
  return {
    table: {
      title: `S3. Seek --from TIME: ${fmtCount(lib.big.records)} records (${bigSegments} segments, ${(bigBytes / 2 ** 20).toFixed(0)} MiB) vs ${fmtCount(lib.small.records)} (median of ${config.seekRuns})`,
      headers: ['what', 'big shard', 'small shard', 'big / small', 'target', 'result'],
      rows: [
        ['mq tail --from TIME -n 1 (whole process)', fmtMs(median(cli.big)), fmtMs(median(cli.small)), fmtRatio(cliRatio), '<=2x', verdict(cliRatio <= 2)],
        ['read AT_TIMESTAMP, limit 1 (in process)', fmtMs(lib.big.medianMs), fmtMs(lib.small.medianMs), fmtRatio(libRatio), '<=2x', verdict(libRatio <= 2)],
      ],
      notes: ['the in-process seek opens the stream, lists its segments, binary-searches their first lines, then byte offsets in one segment.'],
    },
  };
}
