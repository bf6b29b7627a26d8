// npm run bench: the queue benchmarks, side by side with the raw file-system floor and python3-dirq,
// measured in one run on the same machine. Progress goes to stderr, the result tables to stdout.
// Sizes come from the environment (see lib/config.js); BENCH_QUICK=1 is a small smoke run;
// BENCH_CASES=throughput,latency,startup,fifo picks cases (throughput is send and drain).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { config, repoRoot } from './lib/config.js';
import { createWorkspace } from './lib/workspace.js';
import { writeBodiesFile } from './lib/bodies.js';
import { findDirqPython } from './lib/dirq.js';
import { snapshotBuild } from './lib/build.js';
import { describeLoad } from './lib/load.js';
import { printTable } from './lib/table.js';
import { fmtCount } from './lib/stats.js';
import { benchThroughput } from './queue-throughput.js';
import { benchLatency } from './queue-latency.js';
import { benchStartup } from './queue-startup.js';
import { benchFifo } from './queue-fifo.js';

if (!fs.existsSync(path.join(repoRoot, 'dist', 'mq.cjs')) || !fs.existsSync(path.join(repoRoot, 'dist', 'lib', 'index.js'))) {
  console.error('bench: dist/ is missing; run `npm run bench` (it builds first) or `npm run build`.');
  process.exit(1);
}

const ALL_CASES = ['throughput', 'latency', 'startup', 'fifo'];
const cases = new Set((process.env.BENCH_CASES || ALL_CASES.join(',')).split(',').map((s) => s.trim()));
for (const name of cases) {
  if (!ALL_CASES.includes(name)) {
    console.error(`bench: unknown case ${JSON.stringify(name)} in BENCH_CASES (known: ${ALL_CASES.join(', ')})`);
    process.exit(2);
  }
}

const started = Date.now();
const log = (text) => console.error(`[bench ${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${text}`);
const ws = createWorkspace(config.tmpRoot, config.keep);
const tables = [];
try {
  snapshotBuild(ws.path('build'));
  const dirqPython = findDirqPython();
  const dirqLine = dirqPython
    ? `python3-dirq: found (${dirqPython})`
    : 'python3-dirq: NOT INSTALLED, dirq columns skipped (install with: apt-get install -y python3-dirq)';
  console.log(`mq queue benchmarks${config.quick ? ' (BENCH_QUICK=1: small sizes, figures not meaningful)' : ''}`);
  console.log(`node ${process.version}, ${os.cpus().length} CPUs, ${os.platform()} ${os.release()}; scratch ${ws.dir}`);
  console.log(`messages ${fmtCount(config.messages)} x ${config.bodyBytes} B, ${config.rounds} rounds, drain batch ${config.drainBatch}, backlogs ${fmtCount(config.backlogSmall)} / ${fmtCount(config.backlog)}, latency runs ${config.latencyRuns}, start-up runs ${config.startupRuns}`);
  console.log(dirqLine);
  console.log(`machine at start: ${describeLoad()}`);

  if (cases.has('throughput')) {
    log(`writing ${fmtCount(config.messages)} bodies`);
    const bodiesFile = writeBodiesFile(ws.path('bodies.txt'), config.messages, config.bodyBytes);
    const durableBodiesFile = config.durableFloorMessages === config.messages
      ? bodiesFile
      : writeBodiesFile(ws.path('bodies-durable.txt'), config.durableFloorMessages, config.bodyBytes);
    tables.push(...benchThroughput({ ws, bodiesFile, durableBodiesFile, dirqPython, log }));
    fs.rmSync(ws.path('bodies.txt'), { force: true });
  }
  if (cases.has('latency')) tables.push(benchLatency({ ws, log }).table);
  if (cases.has('startup')) tables.push(benchStartup({ ws, log }).table);
  if (cases.has('fifo')) tables.push(benchFifo({ ws, log }));
} finally {
  for (const table of tables) {
    printTable(table.title, table.headers, table.rows);
    for (const note of table.notes) console.log(`  note: ${note}`);
  }
  console.log(`\nmachine at end: ${describeLoad()}`);
  log(config.keep ? `done; scratch kept in ${ws.dir}` : 'done; removing scratch');
  ws.cleanup();
  console.log(`\ntotal bench time ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
