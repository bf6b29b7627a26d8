// Case 2: drain the queues case 1 filled: `mq receive q -n BATCH --delete --body` repeated until empty
// (the main figure), the same through the library in one process, against the raw floor (claim by
// rename + read + unlink) and python3-dirq QueueSimple dequeue (lock + get + remove).
import path from 'node:path';
import { config } from './lib/config.js';
import { countLines, mq } from './lib/mq.js';
import { runDirq } from './lib/dirq.js';
import { runJson, settle } from './lib/proc.js';
import { fmtCount, fmtMs, fmtRate, fmtRatio, rate, verdict } from './lib/stats.js';

const here = path.dirname(new URL(import.meta.url).pathname);

function drainCli(home, queue, batch) {
  let count = 0;
  let processes = 0;
  let ms = 0;
  for (;;) {
    const run = mq(home, ['receive', queue, '-n', String(batch), '--delete', '--body'], { stdio: ['ignore', 'pipe', 'pipe'] });
    processes++;
    ms += run.ms;
    const got = countLines(run.stdout);
    count += got;
    if (got === 0) break;
  }
  return { count, ms, processes, rate: rate(count, ms) };
}

export function benchDrain({ sent, dirqPython, log }) {
  const n = config.messages;
  const batch = config.drainBatch;

  log(`drain: raw floor, claim by rename + read + unlink x ${fmtCount(n)}`);
  settle();
  const floorRun = runJson(process.execPath, [path.join(here, 'raw-floor.js'), 'drain', sent.floorDir]);
  const floor = { ...floorRun, rate: rate(floorRun.count, floorRun.ms) };

  let dirq = null;
  if (dirqPython) {
    log(`drain: dirq QueueSimple lock+get+remove x ${fmtCount(n)}`);
    settle();
    const run = runDirq(dirqPython, 'dequeue', sent.dirqDir);
    dirq = { ...run, rate: rate(run.count, run.ms) };
  }

  log(`drain: mq receive -n ${batch} --delete --body, repeated (CLI) x ${fmtCount(n)}`);
  settle();
  const cli = drainCli(sent.home, 'send-none', batch);
  log(`drain: library receive({max: ${batch}, deleteOnReceive}) loop in one process x ${fmtCount(n)}`);
  settle();
  const libRun = runJson(process.execPath, [path.join(here, 'drain-lib.js'), sent.home, 'send-fsync', String(batch)]);
  const lib = { ...libRun, rate: rate(libRun.count, libRun.ms) };

  const vsDirq = (r) => (dirq ? r.rate / dirq.rate : null);
  const row = (what, r, target, ok) => [
    what, fmtCount(r.count), fmtMs(r.ms), fmtRate(r.rate), fmtRatio(r.rate / floor.rate), fmtRatio(vsDirq(r)), target, verdict(ok),
  ];
  const counted = (r) => r.count === n;
  const problems = [['raw floor', floor], ['dirq', dirq], ['mq CLI', cli], ['mq library', lib]]
    .filter(([, r]) => r && !counted(r))
    .map(([what, r]) => `WARNING: ${what} drained ${fmtCount(r.count)} messages, expected ${fmtCount(n)}.`);
  return {
    rates: { floor, dirq, cli, lib },
    table: {
      title: `2. Drain ${fmtCount(n)} messages, receive with delete`,
      headers: ['what', 'messages', 'time', 'rate', 'vs floor', 'vs dirq', 'target', 'result'],
      rows: [
        row('raw floor: claim by rename+read+unlink', floor, '', null),
        dirq ? row('dirq QueueSimple lock+get+remove', dirq, '', null) : ['dirq QueueSimple dequeue', 'not installed', '-', '-', '-', '-', '', '-'],
        row(`mq receive -n ${batch} --delete (CLI, ${cli.processes} procs)`, cli, '>=1x dirq', dirq ? vsDirq(cli) >= 1 : null),
        row(`mq library receive loop (-n ${batch}, 1 proc)`, lib, '>=1x dirq', dirq ? vsDirq(lib) >= 1 : null),
      ],
      notes: [
        'mq CLI time is the sum of the wall times of the receive processes (start-up included, and the final empty receive).',
        ...problems,
      ],
    },
  };
}
