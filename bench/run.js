// npm run bench: the queue benchmarks, side by side with the raw file-system floor and python3-dirq,
// measured in one run on the same machine. Progress goes to stderr, the result tables to stdout.
// Sizes come from the environment (see lib/config.js); BENCH_QUICK=1 is a small smoke run;
// BENCH_CASES=send,drain,latency,startup picks cases (drain needs send).
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
import { benchSend } from './queue-send.js';
import { benchDrain } from './queue-drain.js';
import { benchLatency } from './queue-latency.js';
import { benchStartup } from './queue-startup.js';

if (!fs.existsSync(path.join(repoRoot, 'dist', 'mq.js')) || !fs.existsSync(path.join(repoRoot, 'dist', 'lib', 'index.js'))) {
  console.error('bench: dist/ is missing; run `npm run bench` (it builds first) or `npm run build`.');
  process.exit(1);
}

const cases = new Set((process.env.BENCH_CASES || 'send,drain,latency,startup').split(',').map((s) => s.trim()));
if (cases.has('drain')) cases.add('send');

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
  console.log(`messages ${fmtCount(config.messages)} x ${config.bodyBytes} B, drain batch ${config.drainBatch}, backlogs ${fmtCount(config.backlogSmall)} / ${fmtCount(config.backlog)}, latency runs ${config.latencyRuns}, start-up runs ${config.startupRuns}`);
  console.log(dirqLine);
  console.log(`machine at start: ${describeLoad()}`);

  if (cases.has('send')) {
    log(`writing ${fmtCount(config.messages)} bodies`);
    const bodiesFile = writeBodiesFile(ws.path('bodies.txt'), config.messages, config.bodyBytes);
    const durableBodiesFile = config.durableFloorMessages === config.messages
      ? bodiesFile
      : writeBodiesFile(ws.path('bodies-durable.txt'), config.durableFloorMessages, config.bodyBytes);
    const sent = benchSend({ ws, bodiesFile, durableBodiesFile, dirqPython, log });
    tables.push(sent.table);
    log('removing the durable floor directories');
    for (const dir of ['floor-durable', 'floor-group']) fs.rmSync(ws.path(dir), { recursive: true, force: true });
    if (cases.has('drain')) tables.push(benchDrain({ sent, dirqPython, log }).table);
    log('removing the drained queues');
    fs.rmSync(sent.home, { recursive: true, force: true });
  }
  if (cases.has('latency')) tables.push(benchLatency({ ws, log }).table);
  if (cases.has('startup')) tables.push(benchStartup({ ws, log }).table);
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
