// Stream case 4: the same put/get workload on kinesalite (what a user would run locally instead) and on
// mq, when kinesalite and the AWS SDK are installed (devDependencies). Records are 100 B; kinesalite
// keeps them in memory, mq on disk.
import fs from 'node:fs';
import path from 'node:path';
import { streamConfig as config } from './stream-config.js';
import { writeBodiesFile } from './lib/bodies.js';
import { mq } from './lib/mq.js';
import { runJson } from './lib/proc.js';
import { fmtCount, fmtMs, fmtRate, fmtRatio, rate } from './lib/stats.js';
import { putFile } from './stream-put.js';

const driver = path.join(path.dirname(new URL(import.meta.url).pathname), 'stream-kinesalite-driver.js');

async function installed() {
  try {
    await import('kinesalite');
    await import('@aws-sdk/client-kinesis');
    return true;
  } catch {
    return false;
  }
}

export async function benchKinesalite({ ws, log }) {
  const count = Math.min(config.putRecords, Number(process.env.BENCH_KINESALITE_RECORDS || 100_000));
  const title = `S4. Put then read ${fmtCount(count)} records of ${config.recordBytes} B: kinesalite (AWS SDK, in memory) vs mq (one shard)`;
  if (!(await installed())) {
    return { table: { title, headers: ['what'], rows: [['kinesalite or @aws-sdk/client-kinesis not installed: skipped']], notes: [] } };
  }
  log(`kinesalite: PutRecords x ${fmtCount(count)}, then GetRecords`);
  const k = runJson(process.execPath, [driver, String(count), String(config.recordBytes)], { stdio: ['ignore', 'pipe', 'ignore'] });
  log(`kinesalite: mq put and mq tail --from trim-horizon x ${fmtCount(count)}`);
  const home = ws.path('kinesalite-mq-home');
  const file = writeBodiesFile(ws.path('kinesalite-lines.txt'), count, config.recordBytes);
  mq(home, ['create-stream', 'bench'], { stdio: 'ignore' });
  const putMs = putFile(home, 'bench', file);
  const getMs = mq(home, ['tail', 'bench', '--from', 'trim-horizon', '--json'], { stdio: ['ignore', 'ignore', 'pipe'] }).ms;
  fs.rmSync(home, { recursive: true, force: true });
  const row = (what, r, vs) => [what, fmtCount(r.count), fmtMs(r.ms), fmtRate(rate(r.count, r.ms)), vs];
  return {
    table: {
      title,
      headers: ['what', 'records', 'time', 'rate', 'mq vs kinesalite'],
      rows: [
        row('kinesalite PutRecords (500 per call)', k.put, ''),
        row('mq put < file (durability fsync)', { count, ms: putMs }, fmtRatio(rate(count, putMs) / rate(k.put.count, k.put.ms))),
        row('kinesalite GetRecords (10,000 per call)', k.get, ''),
        row('mq tail --from trim-horizon --json', { count, ms: getMs }, fmtRatio(rate(count, getMs) / rate(k.get.count, k.get.ms))),
      ],
      notes: ['kinesalite times exclude its start-up; mq times are whole processes. mq tail --json decodes and re-encodes every record.'],
    },
  };
}
