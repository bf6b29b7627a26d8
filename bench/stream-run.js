// npm run bench:streams: the stream benchmarks, each against its floor measured in the same run: put
// throughput against raw appends, replay against cat, seek time in a big shard against a small one, and
// kinesalite (what a user would run instead) when it is installed. Progress on stderr, tables on stdout.
// Sizes come from the environment (see stream-config.js); BENCH_QUICK=1 is a small smoke run;
// BENCH_CASES=put,replay,seek,kinesalite picks cases.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { config, repoRoot } from './lib/config.js';
import { createWorkspace } from './lib/workspace.js';
import { writeBodiesFile } from './lib/bodies.js';
import { printTable } from './lib/table.js';
import { fmtCount } from './lib/stats.js';
import { streamConfig } from './stream-config.js';
import { benchStreamPut } from './stream-put.js';
import { benchStreamReplay } from './stream-replay.js';
import { benchStreamSeek } from './stream-seek.js';
import { benchKinesalite } from './stream-kinesalite.js';

if (!fs.existsSync(path.join(repoRoot, 'dist', 'mq.cjs')) || !fs.existsSync(path.join(repoRoot, 'dist', 'lib', 'index.js'))) {
  console.error('bench: dist/ is missing; run `npm run bench:streams` (it builds first) or `npm run build`.');
  process.exit(1);
}

const cases = new Set((process.env.BENCH_CASES || 'put,replay,seek,kinesalite').split(',').map((s) => s.trim()));
const started = Date.now();
const log = (text) => console.error(`[bench ${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${text}`);
const ws = createWorkspace(config.tmpRoot, config.keep);
const tables = [];
try {
  console.log(`mq stream benchmarks${streamConfig.quick ? ' (BENCH_QUICK=1: small sizes, figures not meaningful)' : ''}`);
  console.log(`node ${process.version}, ${os.cpus().length} CPUs, ${os.platform()} ${os.release()}, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; scratch ${ws.dir}`);
  log(`writing ${fmtCount(streamConfig.putRecords)} lines of ${streamConfig.recordBytes} B`);
  const linesFile = writeBodiesFile(ws.path('lines.txt'), streamConfig.putRecords, streamConfig.recordBytes);
  if (cases.has('put')) tables.push(benchStreamPut({ ws, linesFile, log }).table);
  if (cases.has('replay')) tables.push(benchStreamReplay({ ws, linesFile, log }).table);
  if (cases.has('seek')) tables.push(benchStreamSeek({ ws, log }).table);
  if (cases.has('kinesalite')) tables.push((await benchKinesalite({ ws, log })).table);
} finally {
  for (const table of tables) {
    printTable(table.title, table.headers, table.rows);
    for (const note of table.notes) console.log(`  note: ${note}`);
  }
  log(config.keep ? `done; scratch kept in ${ws.dir}` : 'done; removing scratch');
  ws.cleanup();
  console.log(`\ntotal bench time ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
