// npm run bench:consume: `mq consume` on a stream of 4 shards. Case C1: throughput with 1, 2 and 4
// workers in one group (the workers start on the empty stream and share its leases first; then N records
// are put and timed from the start of the put to the last checkpoint). Case C2: after kill -9 of one of
// two workers, the time until the other holds all four leases (failover timeouts 2s and 10s).
// Sizes: BENCH_CONSUME_RECORDS, BENCH_CONSUME_BATCH, BENCH_CONSUME_RUNS; BENCH_QUICK=1 for a smoke run.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { config } from './lib/config.js';
import { build, loadEngine, snapshotBuild } from './lib/build.js';
import { createWorkspace } from './lib/workspace.js';
import { writeBodiesFile } from './lib/bodies.js';
import { mq, mqEnv } from './lib/mq.js';
import { describeLoad } from './lib/load.js';
import { printTable } from './lib/table.js';
import { fmtCount, fmtMs, fmtRate, rate } from './lib/stats.js';

function int(name, fallback) {
  const value = Number(process.env[name] || fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

const quick = process.env.BENCH_QUICK === '1';
const records = int('BENCH_CONSUME_RECORDS', quick ? 20_000 : 200_000);
const batch = int('BENCH_CONSUME_BATCH', 1000);
const runs = int('BENCH_CONSUME_RUNS', quick ? 1 : 3);
const SHARDS = 4;
// Reads its batch and throws it away: the handler cost is a process start plus a pipe.
const HANDLER = ['sh', '-c', 'cat > /dev/null'];

const started = Date.now();
const log = (text) => console.error(`[bench ${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${text}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition, timeoutMs = 600_000, everyMs = 10) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('bench: timed out');
    await sleep(everyMs);
  }
}

function startWorker(home, id, failover) {
  const args = [build.bin, 'consume', 'ev', '--group', 'g', '--from', 'trim-horizon', '--batch', String(batch), '--failover-timeout', failover, '--worker-id', id, '--', ...HANDLER];
  const child = spawn(process.execPath, args, { env: mqEnv(home), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr })));
  return { child, exited };
}

// Leases held now, by worker.
async function holders(streams) {
  const now = Date.now();
  const counts = {};
  for (const lease of await streams.leases('ev', 'g').catch(() => [])) {
    if (lease.owner && lease.expiresAt > now) counts[lease.owner] = (counts[lease.owner] ?? 0) + 1;
  }
  return counts;
}

const balanced = (counts, workers) => Object.keys(counts).length === workers && Object.values(counts).every((n) => n === SHARDS / workers);

async function throughputRun(ws, engine, workers, run, linesFile) {
  const home = ws.path(`c1-${workers}-${run}`);
  mq(home, ['create-stream', 'ev', '--shards', String(SHARDS)], { stdio: 'ignore' });
  const streams = engine.openBackend({ home }).streams;
  const procs = Array.from({ length: workers }, (_, i) => startWorker(home, `w${i}`, '10s'));
  await until(async () => balanced(await holders(streams), workers));
  const t0 = process.hrtime.bigint();
  const fd = fs.openSync(linesFile, 'r');
  const put = spawn(process.execPath, [build.bin, 'put', 'ev'], { env: mqEnv(home), stdio: [fd, 'ignore', 'inherit'] });
  await new Promise((resolve) => put.on('close', resolve));
  fs.closeSync(fd);
  await until(async () => {
    const lags = await streams.groups('ev');
    return lags.length === SHARDS && lags.every((lag) => lag.lagRecords === 0) && lags.every((lag) => 'sequence' in lag.checkpoint);
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  for (const p of procs) p.child.kill('SIGTERM');
  for (const p of procs) {
    const { code, stderr } = await p.exited;
    if (code !== 130) throw new Error(`bench: worker exited ${code}: ${stderr}`);
  }
  fs.rmSync(home, { recursive: true, force: true });
  return ms;
}

async function takeoverRun(ws, engine, failover, run) {
  const home = ws.path(`c2-${failover}-${run}`);
  mq(home, ['create-stream', 'ev', '--shards', String(SHARDS)], { stdio: 'ignore' });
  const streams = engine.openBackend({ home }).streams;
  const [a, b] = ['a', 'b'].map((id) => startWorker(home, id, failover));
  await until(async () => balanced(await holders(streams), 2));
  const t0 = process.hrtime.bigint();
  a.child.kill('SIGKILL');
  await until(async () => (await holders(streams)).b === SHARDS, 120_000, 5);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  b.child.kill('SIGTERM');
  await Promise.all([a.exited, b.exited]);
  fs.rmSync(home, { recursive: true, force: true });
  return ms;
}

const ws = createWorkspace(config.tmpRoot, config.keep);
try {
  snapshotBuild(ws.path('build'));
  const engine = await loadEngine();
  console.log(`mq consume benchmarks${quick ? ' (BENCH_QUICK=1: small sizes, figures not meaningful)' : ''}`);
  console.log(`node ${process.version}, ${os.cpus().length} CPUs, ${os.platform()} ${os.release()}; ${describeLoad()}`);
  const linesFile = writeBodiesFile(ws.path('lines.txt'), records, 100);

  const throughput = [];
  for (const workers of [1, 2, 4]) {
    const times = [];
    for (let run = 0; run < runs; run++) {
      log(`C1: ${workers} worker(s), run ${run + 1}/${runs}`);
      times.push(await throughputRun(ws, engine, workers, run, linesFile));
    }
    const best = Math.min(...times);
    throughput.push([`${workers} worker${workers > 1 ? 's' : ''}`, fmtCount(records), fmtMs(best), fmtRate(rate(records, best))]);
  }
  printTable(
    `C1. Consume ${fmtCount(records)} records of 100 B on ${SHARDS} shards, batches of ${batch}, handler \`sh -c 'cat > /dev/null'\` (best of ${runs})`,
    ['workers', 'records', 'put start -> last checkpoint', 'rate'],
    throughput,
  );
  console.log('  note: each worker runs one handler process per held shard at a time; the time includes the concurrent `mq put` of the records.');

  const takeover = [];
  for (const failover of ['2s', '10s']) {
    const times = [];
    for (let run = 0; run < runs; run++) {
      log(`C2: failover timeout ${failover}, run ${run + 1}/${runs}`);
      times.push(await takeoverRun(ws, engine, failover, run));
    }
    takeover.push([failover, fmtMs(Math.min(...times)), fmtMs(times.sort((x, y) => x - y)[Math.floor(times.length / 2)]), fmtMs(Math.max(...times))]);
  }
  printTable(
    `C2. kill -9 of one of two workers (2 shards each): time until the other holds all ${SHARDS} leases (${runs} runs)`,
    ['failover timeout', 'best', 'median', 'worst'],
    takeover,
  );
  console.log('  note: a lease expires at most one failover timeout after its last renewal; the survivor looks every third of its timeout.');
} finally {
  log(config.keep ? `done; scratch kept in ${ws.dir}` : 'done; removing scratch');
  ws.cleanup();
  console.log(`\ntotal bench time ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
