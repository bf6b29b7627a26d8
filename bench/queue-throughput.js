// Cases 1 and 2: batch send and drain of N messages. The directly compared contenders (raw floor, dirq,
// mq with durability none) run in ROUNDS interleaved rounds, in a rotated order, each round sending into
// fresh directories and then draining what it sent; a round's directories are removed before the next.
// The library drain empties a second queue of each round, filled through the engine (not timed).
// The durable sends (slow) run once, after the rounds.
// Ratios and targets use the best round of each contender: on a shared, noisy machine the best run is the
// one least disturbed by other work.
import fs from 'node:fs';
import path from 'node:path';
import { config } from './lib/config.js';
import { fmtCount } from './lib/stats.js';
import { dirqSend, floorSend, mqSend } from './queue-send.js';
import { dirqDrain, fillQueue, floorDrain, mqDrainCli, mqDrainLib } from './queue-drain.js';
import { sendTable, drainTable } from './throughput-tables.js';

function rotate(list, by) {
  const k = by % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}

export function benchThroughput({ ws, bodiesFile, durableBodiesFile, dirqPython, log }) {
  const n = config.messages;
  const batch = config.drainBatch;
  const samples = {};
  const record = (key, what, run) => {
    log(what);
    (samples[key] ??= []).push(run());
  };

  for (let round = 0; round < config.rounds; round++) {
    const dir = ws.path(`round-${round + 1}`);
    const at = (name) => path.join(dir, name);
    const tag = `round ${round + 1}/${config.rounds}:`;
    const sends = [
      ['floor', `${tag} send, raw floor create+rename x ${fmtCount(n)}`, () => floorSend(at('floor'), bodiesFile, 'plain')],
      ['dirq', `${tag} send, dirq QueueSimple add x ${fmtCount(n)}`, () => dirqSend(dirqPython, at('dirq'), bodiesFile)],
      ['mqNone', `${tag} send, mq send (durability none) x ${fmtCount(n)}`, () => mqSend(at('mq'), 'bench', 'none', bodiesFile, n)],
    ];
    const drains = [
      ['floorDrain', `${tag} drain, raw floor claim by rename+read+unlink`, () => floorDrain(at('floor'))],
      ['dirqDrain', `${tag} drain, dirq lock+get+remove`, () => dirqDrain(dirqPython, at('dirq'))],
      ['mqCli', `${tag} drain, mq receive -n ${batch} --delete --body until empty`, () => mqDrainCli(at('mq'), 'bench', batch)],
      ['mqLib', `${tag} drain, library receive({max: ${batch}, deleteOnReceive}) loop in one process`, () => mqDrainLib(at('mq'), 'lib', batch)],
    ];
    const wanted = ([key]) => dirqPython || !key.startsWith('dirq');
    for (const [key, what, run] of rotate(sends.filter(wanted), round)) record(key, what, run);
    log(`${tag} filling a second mq queue through the engine for the library drain (not timed)`);
    fillQueue(at('mq'), 'lib', n);
    for (const [key, what, run] of rotate(drains.filter(wanted), round)) record(key, what, run);
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const durableHome = ws.path('mq-durable');
  record('mqFsync', `send, mq send (durability fsync) x ${fmtCount(n)}`, () => mqSend(durableHome, 'bench', 'fsync', bodiesFile, n));
  fs.rmSync(durableHome, { recursive: true, force: true });
  record('floorGroup', `send, raw floor group commit (1,000 per fsync round) x ${fmtCount(n)}`, () => floorSend(ws.path('floor-group'), bodiesFile, 'group'));
  log('removing the group-commit floor directory');
  fs.rmSync(ws.path('floor-group'), { recursive: true, force: true });
  const durableCount = config.durableFloorMessages;
  record('floorDurable', `send, raw floor per-message fsync x ${fmtCount(durableCount)}`, () => floorSend(ws.path('floor-durable'), durableBodiesFile, 'durable'));
  log('removing the durable floor directory');
  fs.rmSync(ws.path('floor-durable'), { recursive: true, force: true });

  return [sendTable(samples, { n, dirq: Boolean(dirqPython) }), drainTable(samples, { n, batch, dirq: Boolean(dirqPython) })];
}
