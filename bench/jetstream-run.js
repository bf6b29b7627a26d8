// npm run bench:jetstream: the same mq commands on the file store (durability fsync and none) and on a
// 3-node NATS JetStream cluster (R3, started here on loopback), interleaved round by round in one run,
// beside the raw NATS client doing the same work (the floor, bench/jetstream-floor.js). Cases: one-shot
// `mq send` (median of BENCH_STARTUP_RUNS, with the file store's one-shot of the baseline build, main by
// default, in the same run), a 100,000-line `mq send`, the drain by `mq receive -n 10000 --delete`, FIFO
// through the library (1 and 100 groups), `mq put` of 100,000 lines, `mq replay`, and `mq consume` with two
// workers. Progress on stderr, tables on stdout. Sizes: BENCH_JS_MESSAGES, BENCH_JS_ROUNDS,
// BENCH_STARTUP_RUNS, BENCH_FIFO_MESSAGES; BENCH_CASES=startup,send,fifo,put,consume picks cases;
// BENCH_BASELINE_REF (default main; "none" skips it); BENCH_QUICK=1 for a smoke run.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { config, int, repoRoot } from './lib/config.js';
import { build, snapshotBuild } from './lib/build.js';
import { createWorkspace, remove } from './lib/workspace.js';
import { writeBodiesFile } from './lib/bodies.js';
import { mqEnv } from './lib/mq.js';
import { runJson, timed } from './lib/proc.js';
import { describeLoad } from './lib/load.js';
import { printTable } from './lib/table.js';
import { fmtCount, fmtMs, fmtRate, fmtRatio, median, rate } from './lib/stats.js';
import { startCluster } from '../test/helpers/nats-cluster.js';

const quick = config.quick;
const MESSAGES = int('BENCH_JS_MESSAGES', quick ? 5_000 : 100_000);
const ROUNDS = int('BENCH_JS_ROUNDS', quick ? 1 : 3);
const STARTUP_RUNS = config.startupRuns;
const FIFO_MESSAGES = int('BENCH_FIFO_MESSAGES', quick ? 500 : 5_000);
const ALL_CASES = ['startup', 'send', 'fifo', 'put', 'consume'];
const cases = new Set((process.env.BENCH_CASES || ALL_CASES.join(',')).split(',').map((s) => s.trim()));
const baselineRef = process.env.BENCH_BASELINE_REF || 'main';

const started = Date.now();
const log = (text) => console.error(`[bench ${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${text}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const ws = createWorkspace(config.tmpRoot, config.keep);
snapshotBuild(ws.path('build'));
let cluster;
let namespaces = 0;

// The stores a case runs on: the file store under each durability, and the cluster.
const fileStore = (durability) => {
  const home = ws.path(`home-${durability}-${namespaces++}`);
  return { name: `file (${durability})`, env: { ...mqEnv(home), MQ_DURABILITY: durability }, home, durability };
};
const natsStore = () => {
  const namespace = `bench${namespaces++}`;
  const env = { ...mqEnv(ws.path('unused')), MQ_URL: cluster.url, MQ_NAMESPACE: namespace };
  delete env.MQ_HOME;
  return { name: 'JetStream R3', env, namespace };
};
const mqRun = (store, args, options = {}) => timed(process.execPath, [options.bin ?? build.bin, ...args], { env: store.env, ...options });
const withInput = (file, run) => {
  const fd = fs.openSync(file, 'r');
  try {
    return run(fd);
  } finally {
    fs.closeSync(fd);
  }
};
const floor = (kind, stream, count) => runJson(process.execPath, [path.join(repoRoot, 'bench', 'jetstream-floor.js'), kind, cluster.url, stream, String(count)]);

// A JetStream API call from this process (stream set-up for the floors).
async function api(subject, payload) {
  const { connect } = await import('@nats-io/transport-node');
  const nc = await connect({ servers: cluster.url.split(',') });
  try {
    const answer = (await nc.request(`$JS.API.${subject}`, payload === undefined ? '' : JSON.stringify(payload), { timeout: 30_000 })).json();
    if (answer.error) throw new Error(`${subject}: ${answer.error.description}`);
    return answer;
  } finally {
    await nc.close();
  }
}

async function floorStream(name, retention) {
  await api(`STREAM.DELETE.${name}`).catch(() => undefined);
  await api(`STREAM.CREATE.${name}`, { name, subjects: [`${name}.in`], retention, storage: 'file', num_replicas: 3, duplicate_window: 120e9 });
  return name;
}

// The file store's one-shot send of another build (by default main), for "unchanged".
function baselineBin() {
  if (baselineRef === 'none') return null;
  const dir = ws.path('baseline');
  try {
    fs.mkdirSync(dir, { recursive: true });
    const archive = execFileSync('git', ['archive', baselineRef], { cwd: repoRoot, maxBuffer: 1 << 30 });
    execFileSync('tar', ['-x', '-C', dir], { input: archive });
    fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    execFileSync(process.execPath, ['scripts/build.js'], { cwd: dir, stdio: 'ignore' });
    return path.join(dir, 'bin', 'mq.cjs');
  } catch (error) {
    log(`baseline ${baselineRef} not built (${error.message.split('\n')[0]}): its column is left out`);
    return null;
  }
}

const tables = [];
const row = (cells) => cells;

// Rows of one measured operation per store, and the floor, as rates with each JetStream ratio to the floor.
function rateRows(best, what, label, floorLabel) {
  const floorRate = rate(MESSAGES, best[`${what} floor`]);
  const rows = ['file (fsync)', 'file (none)', 'JetStream R3'].map((name) => {
    const r = rate(MESSAGES, best[`${what} ${name}`]);
    const nats = name === 'JetStream R3';
    return [`${label}, ${name}`, fmtRate(r), nats ? fmtRatio(r / floorRate) : '', nats ? `>=0.5x: ${r / floorRate >= 0.5 ? 'met' : 'NOT met'}` : ''];
  });
  return [...rows, [`raw client (${floorLabel})`, fmtRate(floorRate), '1.00x', 'floor']];
}

async function caseStartup() {
  const baseline = baselineBin();
  const files = fileStore('fsync');
  const nats = natsStore();
  mqRun(files, ['create', 'oneshot'], { stdio: 'ignore' });
  if (baseline) mqRun(files, ['create', 'oneshot-base'], { stdio: 'ignore', bin: baseline });
  mqRun(nats, ['create', 'oneshot'], { stdio: 'ignore' });
  const runs = {
    node: () => timed(process.execPath, ['-e', ''], { stdio: 'ignore' }).ms,
    file: () => mqRun(files, ['send', 'oneshot', 'x'], { stdio: ['ignore', 'ignore', 'pipe'] }).ms,
    ...(baseline ? { baseline: () => mqRun(files, ['send', 'oneshot-base', 'x'], { stdio: ['ignore', 'ignore', 'pipe'], bin: baseline }).ms } : {}),
    nats: () => mqRun(nats, ['send', 'oneshot', 'x'], { stdio: ['ignore', 'ignore', 'pipe'] }).ms,
  };
  log(`one-shot send: ${STARTUP_RUNS} runs each of ${Object.keys(runs).join(', ')}, interleaved`);
  const times = Object.fromEntries(Object.keys(runs).map((k) => [k, []]));
  for (const run of Object.values(runs)) run();
  for (let i = 0; i < STARTUP_RUNS; i++) for (const [key, run] of Object.entries(runs)) times[key].push(run());
  const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
  const rows = [
    row(['node -e \'\'', fmtMs(m.node), '', '']),
    row(['mq send q x, file store (fsync), this build', fmtMs(m.file), '', '']),
  ];
  if (m.baseline !== undefined) rows.push(row([`the same, ${baselineRef}`, fmtMs(m.baseline), `this build ${m.file - m.baseline >= 0 ? '+' : ''}${fmtMs(m.file - m.baseline)}`, 'unchanged']));
  rows.push(row(['mq send q x, JetStream R3', fmtMs(m.nats), `file ${m.nats - m.file >= 0 ? '+' : ''}${fmtMs(m.nats - m.file)}`, `<= file + 60 ms: ${m.nats <= m.file + 60 ? 'met' : 'NOT met'}`]));
  tables.push({ title: `One-shot send (median of ${STARTUP_RUNS}, interleaved)`, headers: ['what', 'median', 'difference', 'target'], rows });
}

async function caseSendDrain() {
  const bodies = writeBodiesFile(ws.path('bodies.txt'), MESSAGES, 100);
  const best = {};
  const keep = (key, ms) => (best[key] = Math.min(best[key] ?? Infinity, ms));
  for (let round = 1; round <= ROUNDS; round++) {
    log(`send and drain ${fmtCount(MESSAGES)}: round ${round} of ${ROUNDS}`);
    for (const store of [fileStore('fsync'), fileStore('none'), natsStore()]) {
      mqRun(store, ['create', 'q'], { stdio: 'ignore' });
      keep(`send ${store.name}`, withInput(bodies, (fd) => mqRun(store, ['send', 'q'], { stdio: [fd, 'ignore', 'pipe'] }).ms));
      let drained = 0;
      const drainStarted = performance.now();
      while (drained < MESSAGES) {
        const { stdout } = mqRun(store, ['receive', 'q', '-n', '10000', '--delete', '--body'], { stdio: ['ignore', 'pipe', 'pipe'] });
        const n = String(stdout).split('\n').length - 1;
        if (n === 0) throw new Error(`drain of ${store.name} stopped at ${drained}`);
        drained += n;
      }
      keep(`drain ${store.name}`, performance.now() - drainStarted);
      if (store.home) remove(store.home);
    }
    const stream = await floorStream('FLOORQ', 'workqueue');
    await api(`CONSUMER.CREATE.${stream}.floor`, { stream_name: stream, config: { durable_name: 'floor', ack_policy: 'explicit', max_ack_pending: -1, max_deliver: -1 } });
    keep('send floor', floor('publish', stream, MESSAGES).ms);
    keep('drain limit', floor('drain', stream, MESSAGES).ms);
    await api(`STREAM.DELETE.${stream}`);
    // The same drain with each ack confirmed: the work `receive --delete` does, so the floor.
    const confirmed = await floorStream('FLOORQ', 'workqueue');
    await api(`CONSUMER.CREATE.${confirmed}.floor`, { stream_name: confirmed, config: { durable_name: 'floor', ack_policy: 'explicit', max_ack_pending: -1, max_deliver: -1 } });
    floor('publish', confirmed, MESSAGES);
    keep('drain floor', floor('drain-confirmed', confirmed, MESSAGES).ms);
    await api(`STREAM.DELETE.${confirmed}`);
  }
  const rows = [
    ...rateRows(best, 'send', `mq send of ${fmtCount(MESSAGES)} lines`, 'publish with a message id, 256 in flight'),
    ...rateRows(best, 'drain', 'drain, mq receive -n 10000 --delete', 'pull 10,000, ack each, each ack answered'),
    ['raw client (pull 10,000, ack each unanswered: the limit)', fmtRate(rate(MESSAGES, best['drain limit'])), fmtRatio(rate(MESSAGES, best['drain limit']) / rate(MESSAGES, best['drain floor'])), ''],
  ];
  tables.push({ title: `Send and drain, 100-byte bodies (best of ${ROUNDS})`, headers: ['case', 'rate', 'vs floor', 'target'], rows });
  fs.rmSync(bodies, { force: true });
}

async function caseFifo() {
  const rows = [];
  for (const groups of [1, 100]) {
    const results = {};
    for (let round = 1; round <= ROUNDS; round++) {
      log(`FIFO ${fmtCount(FIFO_MESSAGES)} messages in ${groups} group(s): round ${round} of ${ROUNDS}`);
      for (const store of [fileStore('none'), natsStore()]) {
        const args = [path.join(repoRoot, 'bench', 'fifo-lib.js'), store.home ?? store.namespace, 'f.fifo', String(FIFO_MESSAGES), '100', String(groups), 'none'];
        const env = store.home ? { ...process.env, BENCH_MQ_LIB: build.lib } : { ...process.env, BENCH_MQ_LIB: build.lib, BENCH_MQ_URL: cluster.url };
        const r = runJson(process.execPath, args, { env });
        const prev = results[store.name];
        if (!prev || r.sendMs + r.receiveMs < prev.sendMs + prev.receiveMs) results[store.name] = r;
        if (store.home) remove(store.home);
      }
    }
    const stream = await floorStream('FLOORF', 'workqueue');
    await api(`CONSUMER.CREATE.${stream}.floor`, { stream_name: stream, config: { durable_name: 'floor', ack_policy: 'explicit', max_ack_pending: 1, max_deliver: -1 } });
    const send = floor('publish', stream, FIFO_MESSAGES);
    const receive = floor('fifo', stream, FIFO_MESSAGES);
    await api(`STREAM.DELETE.${stream}`);
    const floorReceive = rate(FIFO_MESSAGES, receive.ms);
    for (const [name, r] of Object.entries(results)) {
      const nats = name === 'JetStream R3';
      const receiveRate = rate(FIFO_MESSAGES, r.receiveMs);
      rows.push([`${groups} group(s), ${name}`, fmtRate(rate(FIFO_MESSAGES, r.sendMs)), fmtRate(receiveRate), nats ? fmtRatio(receiveRate / floorReceive) : '']);
    }
    rows.push([`${groups} group(s), raw client (one group: publish; pull 1, ack, repeat)`, fmtRate(rate(FIFO_MESSAGES, send.ms)), fmtRate(floorReceive), '1.00x']);
  }
  tables.push({ title: `FIFO through the library, batches of 100 (best of ${ROUNDS})`, headers: ['case', 'send', 'receive + ack', 'receive vs floor'], rows });
}

async function casePutReplay() {
  const bodies = writeBodiesFile(ws.path('records.txt'), MESSAGES, 100);
  const best = {};
  const keep = (key, ms) => (best[key] = Math.min(best[key] ?? Infinity, ms));
  for (let round = 1; round <= ROUNDS; round++) {
    log(`put and replay ${fmtCount(MESSAGES)} records: round ${round} of ${ROUNDS}`);
    for (const store of [fileStore('fsync'), fileStore('none'), natsStore()]) {
      mqRun(store, ['create-stream', 'ev'], { stdio: 'ignore' });
      keep(`put ${store.name}`, withInput(bodies, (fd) => mqRun(store, ['put', 'ev'], { stdio: [fd, 'ignore', 'pipe'] }).ms));
      keep(`replay ${store.name}`, mqRun(store, ['replay', 'ev', '--from', '-1h'], { stdio: ['ignore', 'ignore', 'pipe'] }).ms);
      if (store.home) remove(store.home);
    }
    const stream = await floorStream('FLOORS', 'limits');
    keep('put floor', floor('publish', stream, MESSAGES).ms);
    keep('replay floor', floor('read', stream, MESSAGES).ms);
    await api(`STREAM.DELETE.${stream}`);
  }
  const rows = [
    ...rateRows(best, 'put', `mq put of ${fmtCount(MESSAGES)} records`, 'publish, 256 in flight'),
    ...rateRows(best, 'replay', `mq replay of ${fmtCount(MESSAGES)} records`, 'ephemeral consumer, pulls of 10,000'),
  ];
  tables.push({ title: `Streams: put and replay, one shard, 100-byte records (best of ${ROUNDS})`, headers: ['case', 'rate', 'vs floor', 'target'], rows });
  fs.rmSync(bodies, { force: true });
}

// Two `mq consume` workers of one group on a stream of 4 shards holding MESSAGES records: from their start
// until every shard is checkpointed at its end.
async function caseConsume() {
  const bodies = writeBodiesFile(ws.path('consume.txt'), MESSAGES, 100);
  const rows = [];
  for (const store of [fileStore('none'), natsStore()]) {
    log(`consume ${fmtCount(MESSAGES)} records with 2 workers: ${store.name}`);
    mqRun(store, ['create-stream', 'ev', '--shards', '4'], { stdio: 'ignore' });
    withInput(bodies, (fd) => mqRun(store, ['put', 'ev'], { stdio: [fd, 'ignore', 'pipe'] }));
    const t0 = performance.now();
    const workers = [1, 2].map((n) => spawn(process.execPath, [build.bin, 'consume', 'ev', '--group', 'g', '--from', 'trim-horizon', '--batch', '1000', '--worker-id', `w${n}`, '--', 'sh', '-c', 'cat > /dev/null'], { env: store.env, stdio: 'ignore' }));
    let ms = null;
    while (performance.now() - t0 < 600_000) {
      await sleep(200);
      const { stdout } = mqRun(store, ['--json', 'groups', 'ev', 'g'], { stdio: ['ignore', 'pipe', 'ignore'] });
      const lags = String(stdout).trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
      if (lags.length >= 4 && lags.every((l) => l.lagRecords === 0)) {
        ms = performance.now() - t0;
        break;
      }
    }
    for (const w of workers) w.kill('SIGTERM');
    await Promise.all(workers.map((w) => new Promise((resolve) => (w.exitCode !== null ? resolve() : w.on('close', resolve)))));
    rows.push([`2 workers, ${store.name}`, ms === null ? 'timed out' : fmtMs(ms), ms === null ? '-' : fmtRate(rate(MESSAGES, ms))]);
    if (store.home) remove(store.home);
  }
  tables.push({ title: `mq consume: ${fmtCount(MESSAGES)} records in 4 shards, batches of 1,000, handler sh -c 'cat > /dev/null'`, headers: ['case', 'time to the last checkpoint', 'rate'], rows });
  fs.rmSync(bodies, { force: true });
}

try {
  log('starting a 3-node NATS cluster');
  cluster = await startCluster({ nodes: 3, tmpRoot: ws.dir });
  console.log(`mq JetStream benchmarks${quick ? ' (BENCH_QUICK=1: small sizes, figures not meaningful)' : ''}`);
  console.log(`node ${process.version}, ${os.cpus().length} CPUs, ${os.platform()} ${os.release()}; nats-server ${execFileSync(cluster.server ?? 'nats-server', ['--version']).toString().trim()}, 3 nodes on loopback`);
  console.log(`machine at start: ${describeLoad()}`);
  if (cases.has('startup')) await caseStartup();
  if (cases.has('send')) await caseSendDrain();
  if (cases.has('fifo')) await caseFifo();
  if (cases.has('put')) await casePutReplay();
  if (cases.has('consume')) await caseConsume();
  console.log(`machine at end: ${describeLoad()}`);
  for (const table of tables) printTable(table.title, table.headers, table.rows);
} finally {
  await cluster?.stop();
  ws.cleanup();
}
