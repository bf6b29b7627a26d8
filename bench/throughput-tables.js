// The result tables of cases 1 and 2, from the timed samples of each contender ({count, ms} per run).
import { config } from './lib/config.js';
import { fmtCount, fmtMs, fmtRate, fmtRatio, median, rate, verdict } from './lib/stats.js';

const HEADERS = ['what', 'runs', 'messages', 'best time', 'best rate', 'median rate', 'vs floor', 'vs dirq', 'target', 'result'];

// best: the fastest run; median: of the runs' rates.
function summarize(runs) {
  if (!runs || runs.length === 0) return null;
  const best = runs.reduce((a, b) => (rate(b.count, b.ms) > rate(a.count, a.ms) ? b : a));
  return {
    runs: runs.length,
    count: best.count,
    ms: best.ms,
    rate: rate(best.count, best.ms),
    medianRate: median(runs.map((r) => rate(r.count, r.ms))),
    counts: runs.map((r) => r.count),
    processes: runs.map((r) => r.processes).filter((p) => p !== undefined),
  };
}

function row(what, s, { floor, dirq, target = '', ok = null }) {
  if (!s) return [what, '-', 'skipped', '-', '-', '-', '-', '-', target, '-'];
  return [
    what, s.runs, fmtCount(s.count), fmtMs(s.ms), fmtRate(s.rate), fmtRate(s.medianRate),
    fmtRatio(floor ? s.rate / floor.rate : null), fmtRatio(dirq ? s.rate / dirq.rate : null), target, verdict(ok),
  ];
}

function countWarnings(named, expected) {
  return named.flatMap(([what, s]) => (s ? s.counts : [])
    .filter((count) => count !== expected(what))
    .map((count) => `WARNING: ${what} handled ${fmtCount(count)} messages, expected ${fmtCount(expected(what))}.`));
}

export function sendTable(samples, { n, dirq: haveDirq }) {
  const floor = summarize(samples.floor);
  const dirq = summarize(samples.dirq);
  const none = summarize(samples.mqNone);
  const fsync = summarize(samples.mqFsync);
  const group = summarize(samples.floorGroup);
  const durable = summarize(samples.floorDurable);
  const noneOk = none.rate >= 0.5 * floor.rate && (dirq ? none.rate >= 1.5 * dirq.rate : true);
  const dirqRow = haveDirq ? row('dirq QueueSimple add (no fsync)', dirq, { floor, dirq }) : row('dirq QueueSimple add: NOT INSTALLED', null, {});
  return {
    title: `1. Batch send, ${fmtCount(n)} messages of ${config.bodyBytes} B from stdin, one process (${config.rounds} interleaved rounds)`,
    headers: HEADERS,
    rows: [
      row('raw floor: create+rename', floor, { floor, dirq }),
      dirqRow,
      row('mq send, durability none', none, { floor, dirq, target: '>=0.5x floor, >=1.5x dirq', ok: noneOk }),
      row('mq send, durability fsync', fsync, { floor: durable, dirq }),
      row('raw floor: group commit, 1000/fsync', group, { floor: durable, dirq }),
      row('raw floor: create+fsync+rename+dir fsync', durable, { floor: durable, dirq }),
    ],
    notes: [
      'ratios and targets use each contender\'s best run; vs floor: non-durable rows against create+rename, durable rows against the per-message durable floor.',
      'mq times are whole-process wall time (node start-up and stdin parsing included); floor and dirq time their loop only.',
      'dirq QueueSimple never fsyncs: compare it with durability none.',
      ...countWarnings([['raw floor', floor], ['dirq', dirq], ['mq none', none], ['mq fsync', fsync], ['group floor', group]], () => n),
      ...countWarnings([['durable floor', durable]], () => config.durableFloorMessages),
    ],
  };
}

export function drainTable(samples, { n, batch, dirq: haveDirq }) {
  const floor = summarize(samples.floorDrain);
  const dirq = summarize(samples.dirqDrain);
  const cli = summarize(samples.mqCli);
  const lib = summarize(samples.mqLib);
  const dirqRow = haveDirq ? row('dirq QueueSimple lock+get+remove', dirq, { floor, dirq }) : row('dirq QueueSimple dequeue: NOT INSTALLED', null, {});
  const procs = cli.processes.length ? Math.max(...cli.processes) : '?';
  return {
    title: `2. Drain ${fmtCount(n)} messages, receive with delete (${config.rounds} interleaved rounds)`,
    headers: HEADERS,
    rows: [
      row('raw floor: claim by rename+read+unlink', floor, { floor, dirq }),
      dirqRow,
      row(`mq receive -n ${batch} --delete (CLI, ${procs} procs)`, cli, { floor, dirq, target: '>=1x dirq', ok: dirq ? cli.rate >= dirq.rate : null }),
      row(`mq library receive loop (max ${batch})`, lib, { floor, dirq, target: '>=1x dirq', ok: dirq ? lib.rate >= dirq.rate : null }),
    ],
    notes: [
      'mq CLI time is the sum of the receive processes\' wall times (start-up included, and the final empty receive); the library loop drains a second queue of the same round, filled through the engine.',
      ...countWarnings([['raw floor drain', floor], ['dirq dequeue', dirq], ['mq CLI drain', cli], ['mq library drain', lib]], () => n),
    ],
  };
}
