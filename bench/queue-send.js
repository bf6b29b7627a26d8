// The send contenders of case 1, each timed on the same bodies file into a fresh directory:
// `mq send q < bodies` (one process, durability none or fsync), the raw floor (plain Node create+rename,
// and its durable forms), and python3-dirq QueueSimple add. Each returns {count, ms}.
import path from 'node:path';
import { createQueue, sendFile } from './lib/mq.js';
import { runDirq } from './lib/dirq.js';
import { runJson, settle } from './lib/proc.js';

const rawFloor = path.join(path.dirname(new URL(import.meta.url).pathname), 'raw-floor.js');

// mode: plain (create+rename), durable (fsync file and directory per message), group (1,000 per fsync round).
export function floorSend(dir, bodiesFile, mode) {
  settle();
  const { count, ms } = runJson(process.execPath, [rawFloor, 'send', dir, bodiesFile, mode]);
  return { count, ms };
}

export function dirqSend(python, dir, bodiesFile) {
  settle();
  const { count, ms } = runDirq(python, 'enqueue', dir, bodiesFile);
  return { count, ms };
}

// Whole-process wall time of `mq send QUEUE < bodiesFile` into a new queue of the given durability.
export function mqSend(home, queue, durability, bodiesFile, count) {
  createQueue(home, queue, durability);
  settle();
  return { count, ms: sendFile(home, queue, bodiesFile) };
}
