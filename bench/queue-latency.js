// Case 3: receive latency with a small and a large backlog: wall time of one `mq receive q` process
// (median of RUNS, the two queues taken in turn), and the same receive timed inside one process through
// the library, where start-up does not hide the cost of walking the backlog.
import path from 'node:path';
import { config } from './lib/config.js';
import { mq } from './lib/mq.js';
import { runJson, settle, timed } from './lib/proc.js';
import { fmtCount, fmtMs, fmtRate, fmtRatio, median, rate, verdict } from './lib/stats.js';

const here = path.dirname(new URL(import.meta.url).pathname);

function fill(home, queue, count, log) {
  log(`latency: filling ${queue} with ${fmtCount(count)} messages through the engine (durability none)`);
  const run = runJson(process.execPath, [path.join(here, 'make-backlog.js'), home, queue, String(count), String(config.bodyBytes)]);
  return { ...run, rate: rate(run.count, run.ms) };
}

export function benchLatency({ ws, log }) {
  const home = ws.path('latency-home');
  const small = { queue: 'backlog-small', count: config.backlogSmall };
  const large = { queue: 'backlog-large', count: config.backlog };
  // Every run claims one message; the backlog must outlast the warm-up and the runs of both measurements.
  const needed = 2 * config.latencyRuns + 4;
  for (const q of [small, large]) {
    if (q.count < needed) throw new Error(`a backlog of ${q.count} is too small for ${config.latencyRuns} runs`);
    q.fill = fill(home, q.queue, q.count, log);
  }

  log(`latency: ${config.latencyRuns} x mq receive on each queue, interleaved`);
  const receive = (q) => mq(home, ['receive', q.queue], { stdio: ['ignore', 'pipe', 'pipe'] }).ms;
  const nodeBare = () => timed(process.execPath, ['-e', ''], { stdio: 'ignore' }).ms;
  settle();
  receive(small);
  receive(large);
  const times = { small: [], large: [], node: [] };
  for (let i = 0; i < config.latencyRuns; i++) {
    times.small.push(receive(small));
    times.large.push(receive(large));
    times.node.push(nodeBare());
  }
  log(`latency: ${config.latencyRuns} x library receive on each queue`);
  settle();
  const inProcess = (q) => runJson(process.execPath, [path.join(here, 'receive-lib.js'), home, q.queue, String(config.latencyRuns)]).medianMs;
  const libSmall = inProcess(small);
  const libLarge = inProcess(large);

  const cliSmall = median(times.small);
  const cliLarge = median(times.large);
  const cliRatio = cliLarge / cliSmall;
  const libRatio = libLarge / libSmall;
  return {
    table: {
      title: `3. Receive latency, one message, backlog ${fmtCount(small.count)} vs ${fmtCount(large.count)} (median of ${config.latencyRuns})`,
      headers: ['what', `backlog ${fmtCount(small.count)}`, `backlog ${fmtCount(large.count)}`, 'ratio', 'target', 'result'],
      rows: [
        ['mq receive q (CLI, wall time)', fmtMs(cliSmall), fmtMs(cliLarge), fmtRatio(cliRatio), '<=1.5x', verdict(cliRatio <= 1.5)],
        ['library receive({max: 1}) in process', fmtMs(libSmall), fmtMs(libLarge), fmtRatio(libRatio), '', '-'],
        ['node -e \'\' (same runs, reference)', fmtMs(median(times.node)), '', '', '', '-'],
      ],
      notes: [
        `backlogs made with the engine (library send, 1,000 per call, durability none): ${fmtRate(small.fill.rate)} and ${fmtRate(large.fill.rate)} (${fmtMs(large.fill.ms)} for ${fmtCount(large.count)}).`,
        `CLI runs min..max: ${fmtMs(Math.min(...times.small))}..${fmtMs(Math.max(...times.small))} and ${fmtMs(Math.min(...times.large))}..${fmtMs(Math.max(...times.large))}.`,
      ],
    },
  };
}
