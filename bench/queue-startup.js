// Case 4: one-shot `mq send q x` wall time against bare `node -e ''` and `mq --version`, in the same
// environment (NODE_EXTRA_CA_CERTS and all), taken in turn, medians of RUNS.
import { config } from './lib/config.js';
import { createQueue, mq } from './lib/mq.js';
import { settle, timed } from './lib/proc.js';
import { fmtMs, fmtRatio, median, verdict } from './lib/stats.js';

export function benchStartup({ ws, log }) {
  const home = ws.path('startup-home');
  createQueue(home, 'oneshot'); // the default durability (fsync)
  const commands = {
    node: () => timed(process.execPath, ['-e', ''], { stdio: 'ignore' }).ms,
    version: () => mq(home, ['--version'], { stdio: 'ignore' }).ms,
    send: () => mq(home, ['send', 'oneshot', 'x'], { stdio: ['ignore', 'ignore', 'pipe'] }).ms,
  };
  log(`start-up: ${config.startupRuns} runs each of node -e '', mq --version, mq send q x`);
  const times = { node: [], version: [], send: [] };
  settle();
  for (const run of Object.values(commands)) run(); // warm the page cache
  for (let i = 0; i < config.startupRuns; i++) {
    for (const [key, run] of Object.entries(commands)) times[key].push(run());
  }
  const node = median(times.node);
  const row = (what, key, target) => {
    const m = median(times[key]);
    const ratio = m / node;
    return [what, fmtMs(m), fmtMs(Math.min(...times[key])), fmtRatio(ratio), target ? '<=1.25x' : '', target ? verdict(ratio <= 1.25) : '-'];
  };
  const extraCa = process.env.NODE_EXTRA_CA_CERTS ? `NODE_EXTRA_CA_CERTS=${process.env.NODE_EXTRA_CA_CERTS}` : 'NODE_EXTRA_CA_CERTS unset';
  return {
    table: {
      title: `4. One-shot start-up (median of ${config.startupRuns}, ${extraCa})`,
      headers: ['what', 'median', 'min', 'vs node', 'target', 'result'],
      rows: [
        ['node -e \'\'', fmtMs(node), fmtMs(Math.min(...times.node)), '1.00x', '', '-'],
        ['mq --version', ...row('', 'version', false).slice(1)],
        ['mq send q x (durability fsync)', ...row('', 'send', true).slice(1)],
      ],
      notes: [],
    },
  };
}
