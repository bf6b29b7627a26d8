// Case "fifo": FIFO send and receive throughput with one group and with 100 groups, beside a standard
// queue in the same run, with batches of 10 (SQS's batch size) and of 1,000. SQS FIFO's own quota is the
// anchor: 300 messages/s per action, 3,000 with batches of 10; the target here is at least 10x that.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { config } from './lib/config.js';
import { runJson, settle } from './lib/proc.js';
import { fmtRate, rate, verdict } from './lib/stats.js';

const HELPER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fifo-lib.js');
const SQS_FIFO_BATCHED = 3_000;
const TARGET = 10 * SQS_FIFO_BATCHED;

export function benchFifo({ ws, log }) {
  const count = config.fifoMessages;
  const rows = [];
  for (const durability of ['none', 'fsync']) {
    for (const batch of [10, 1_000]) {
      for (const [label, groups] of [['standard queue', 0], ['FIFO, 1 group', 1], ['FIFO, 100 groups', 100]]) {
        log(`fifo case: ${label}, batches of ${batch}, durability ${durability}`);
        settle();
        const home = ws.path(`fifo-${durability}-${batch}-${groups}`);
        const queue = groups > 0 ? 'bench.fifo' : 'bench';
        const result = runJson(process.execPath, [HELPER, home, queue, String(count), String(batch), String(groups), durability]);
        const send = rate(count, result.sendMs);
        const receive = rate(count, result.receiveMs);
        const fifo = groups > 0;
        rows.push([
          label, durability, String(batch), fmtRate(send), fmtRate(receive),
          fifo ? `${(send / SQS_FIFO_BATCHED).toFixed(1)}x / ${(receive / SQS_FIFO_BATCHED).toFixed(1)}x` : '-',
          fifo && batch === 10 ? verdict(send >= TARGET && receive >= TARGET) : '-',
        ]);
      }
    }
  }
  return {
    title: `5. FIFO throughput, ${count.toLocaleString('en-US')} messages of ~12 B, one process through the library (send, then receive + ack)`,
    headers: ['queue', 'durability', 'batch', 'send', 'receive+ack', 'vs SQS FIFO 3,000/s', 'target >=10x'],
    rows,
    notes: [
      'SQS FIFO: 300 messages/s per API action, 3,000/s with batches of 10 (high-throughput mode aside).',
      'FIFO sends take the queue lock once per batch (dedup check, sequence numbers, publish); receives take no lock.',
    ],
  };
}
