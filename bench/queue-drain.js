// The drain contenders of case 2, each emptying what the matching send contender filled:
// `mq receive q -n BATCH --delete --body` repeated until empty (the CLI path, the main figure), the
// library's receive loop in one process, the raw floor (claim by rename + read + unlink) and python3-dirq
// QueueSimple dequeue (lock + get + remove). Each returns {count, ms}.
import path from 'node:path';
import { countLines, mq } from './lib/mq.js';
import { runDirq } from './lib/dirq.js';
import { runJson, settle } from './lib/proc.js';

const here = path.dirname(new URL(import.meta.url).pathname);

export function floorDrain(dir) {
  settle();
  const { count, ms } = runJson(process.execPath, [path.join(here, 'raw-floor.js'), 'drain', dir]);
  return { count, ms };
}

export function dirqDrain(python, dir) {
  settle();
  const { count, ms } = runDirq(python, 'dequeue', dir);
  return { count, ms };
}

// Sum of the wall times of the receive processes, the final empty one included.
export function mqDrainCli(home, queue, batch) {
  settle();
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
  return { count, ms, processes };
}

export function mqDrainLib(home, queue, batch) {
  settle();
  const { count, ms } = runJson(process.execPath, [path.join(here, 'drain-lib.js'), home, queue, String(batch)]);
  return { count, ms };
}

// Fills QUEUE with `count` messages through the engine (durability none), untimed.
export function fillQueue(home, queue, count) {
  runJson(process.execPath, [path.join(here, 'make-backlog.js'), home, queue, String(count)]);
}
