// Case 1: batch send of N messages from stdin with `mq send` (durability none and fsync), against the raw
// floor (plain Node create+rename, and its durable forms) and python3-dirq QueueSimple enqueue.
// Leaves the filled queues and directories behind for the drain case.
import path from 'node:path';
import { config } from './lib/config.js';
import { createQueue, sendFile } from './lib/mq.js';
import { runDirq } from './lib/dirq.js';
import { runJson, settle } from './lib/proc.js';
import { fmtCount, fmtMs, fmtRate, fmtRatio, rate, verdict } from './lib/stats.js';

const rawFloor = path.join(path.dirname(new URL(import.meta.url).pathname), 'raw-floor.js');

function floorSend(dir, bodiesFile, mode) {
  settle();
  const { count, ms } = runJson(process.execPath, [rawFloor, 'send', dir, bodiesFile, mode]);
  return { count, ms, rate: rate(count, ms) };
}

export function benchSend({ ws, bodiesFile, durableBodiesFile, dirqPython, log }) {
  const n = config.messages;
  const home = ws.path('mq-home');
  const result = { home, floorDir: ws.path('floor'), dirqDir: ws.path('dirq') };

  // The directly compared runs first and close together; the slow durable floors last.
  log(`send: raw floor, create+rename x ${fmtCount(n)}`);
  const plain = floorSend(result.floorDir, bodiesFile, 'plain');

  let dirq = null;
  if (dirqPython) {
    log(`send: dirq QueueSimple add x ${fmtCount(n)}`);
    settle();
    const { count, ms } = runDirq(dirqPython, 'enqueue', result.dirqDir, bodiesFile);
    dirq = { count, ms, rate: rate(count, ms) };
  }

  const mqSend = (queue, durability) => {
    log(`send: mq send (durability ${durability}) x ${fmtCount(n)}`);
    createQueue(home, queue, durability);
    settle();
    const ms = sendFile(home, queue, bodiesFile);
    return { count: n, ms, rate: rate(n, ms) };
  };
  const none = mqSend('send-none', 'none');
  const fsync = mqSend('send-fsync', 'fsync');

  log(`send: raw floor, durable group commit x ${fmtCount(n)}`);
  const group = floorSend(ws.path('floor-group'), bodiesFile, 'group');
  log(`send: raw floor, durable per message x ${fmtCount(config.durableFloorMessages)}`);
  const durable = floorSend(ws.path('floor-durable'), durableBodiesFile, 'durable');

  const vsDirq = (r) => (dirq ? r.rate / dirq.rate : null);
  const noneVsFloor = none.rate / plain.rate;
  const row = (what, r, vsFloor, target, ok) => [what, fmtCount(r.count), fmtMs(r.ms), fmtRate(r.rate), fmtRatio(vsFloor), fmtRatio(vsDirq(r)), target, verdict(ok)];
  result.rates = { plain, durable, group, dirq, none, fsync };
  result.table = {
    title: `1. Batch send, ${fmtCount(n)} messages of ${config.bodyBytes} B from stdin (one process)`,
    headers: ['what', 'messages', 'time', 'rate', 'vs floor', 'vs dirq', 'target', 'result'],
    rows: [
      row('raw floor: create+rename', plain, 1, '', null),
      row('raw floor: create+fsync+rename+dir fsync', durable, 1, '', null),
      row('raw floor: group commit (1000/batch)', group, group.rate / durable.rate, '', null),
      dirq ? row('dirq QueueSimple add (no fsync)', dirq, dirq.rate / plain.rate, '', null) : ['dirq QueueSimple add', 'not installed', '-', '-', '-', '-', '', '-'],
      row('mq send, durability none', none, noneVsFloor, '>=0.5x floor, >=1.5x dirq', noneVsFloor >= 0.5 && (dirq ? vsDirq(none) >= 1.5 : true)),
      row('mq send, durability fsync', fsync, fsync.rate / durable.rate, '', null),
    ],
    notes: [
      'vs floor: mq none against create+rename; mq fsync and the group-commit floor against the per-message durable floor; dirq against create+rename.',
      'mq times are whole-process wall time (node start-up and parsing stdin included); floor and dirq time their loop only.',
      ...(config.durableFloorMessages !== n ? [`the per-message durable floor ran ${fmtCount(config.durableFloorMessages)} messages (BENCH_DURABLE_FLOOR_MESSAGES).`] : []),
    ],
  };
  return result;
}
