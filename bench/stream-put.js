// Stream case 1: `mq put` of N records of 100 B from stdin (a file), durability none and fsync, against
// the raw append floor measured in the same run (one write per 100 lines, and one write plus one
// fdatasync per 100 lines). Best of RUNS for each.
import fs from 'node:fs';
import path from 'node:path';
import { streamConfig as config } from './stream-config.js';
import { mq, mqEnv } from './lib/mq.js';
import { build } from './lib/build.js';
import { runJson, timed } from './lib/proc.js';
import { fmtCount, fmtMs, fmtRate, fmtRatio, rate, verdict } from './lib/stats.js';

const floorScript = path.join(path.dirname(new URL(import.meta.url).pathname), 'stream-floor.js');

function best(runs, measure) {
  const times = [];
  for (let i = 0; i < runs; i++) times.push(measure(i));
  return Math.min(...times);
}

// `mq put STREAM < file`, results to /dev/null; returns wall milliseconds.
export function putFile(home, stream, file) {
  const fd = fs.openSync(file, 'r');
  try {
    return timed(process.execPath, [build.bin, 'put', stream], { env: mqEnv(home), stdio: [fd, 'ignore', 'pipe'] }).ms;
  } finally {
    fs.closeSync(fd);
  }
}

export function benchStreamPut({ ws, linesFile, log }) {
  const n = config.putRecords;
  const floor = (mode) => best(config.runs, (i) => runJson(process.execPath, [floorScript, ws.path(`floor-${mode}-${i}.ndjson`), linesFile, mode]).ms);
  log(`put: raw append floor, ${fmtCount(n)} lines, one write per 100 lines`);
  const plainMs = floor('plain');
  log('put: raw append floor, one write + fdatasync per 100 lines');
  const fsyncMs = floor('fsync');
  const home = ws.path('put-home');
  const put = (durability) => best(config.runs, (i) => {
    const stream = `put-${durability}-${i}`;
    mq(home, ['create-stream', stream, '--durability', durability], { stdio: 'ignore' });
    log(`put: mq put (durability ${durability}), run ${i + 1}/${config.runs}`);
    return putFile(home, stream, linesFile);
  });
  const noneMs = put('none');
  const durableMs = put('fsync');
  fs.rmSync(home, { recursive: true, force: true });

  const floorRate = rate(n, plainMs);
  const noneRate = rate(n, noneMs);
  const row = (what, ms, vs, target, ok) => [what, fmtCount(n), fmtMs(ms), fmtRate(rate(n, ms)), fmtRatio(vs), target, verdict(ok)];
  return {
    rates: { floor: floorRate, none: noneRate, fsync: rate(n, durableMs) },
    table: {
      title: `S1. Put, ${fmtCount(n)} records of ${config.recordBytes} B from stdin, one shard (best of ${config.runs})`,
      headers: ['what', 'records', 'time', 'rate', 'vs floor', 'target', 'result'],
      rows: [
        row('raw floor: 1 write / 100 lines', plainMs, 1, '', null),
        row('raw floor: 1 write + fdatasync / 100 lines', fsyncMs, 1, '', null),
        row('mq put, durability none', noneMs, noneRate / floorRate, '>=10% floor, >=500k/s', noneRate / floorRate >= 0.1 && noneRate >= 500_000),
        row('mq put, durability fsync', durableMs, rate(n, durableMs) / rate(n, fsyncMs), 'vs the fsync floor', null),
      ],
      notes: [
        'mq times are whole-process wall time: node start-up, reading and splitting stdin, checks, routing, checksums, locks, printing one result line per record.',
        'the floors time their write loop only, over lines already in memory.',
      ],
    },
  };
}
