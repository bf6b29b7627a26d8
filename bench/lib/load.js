// How busy the machine is: figures taken while other work runs are not comparable across runs.
import fs from 'node:fs';
import os from 'node:os';

export function describeLoad() {
  const [one, five] = os.loadavg();
  let io = '';
  try {
    const some = fs.readFileSync('/proc/pressure/io', 'utf8').split('\n')[0];
    const avg60 = /avg60=([\d.]+)/.exec(some)?.[1];
    if (avg60 !== undefined) io = `, I/O pressure ${avg60}% (avg 60 s)`;
  } catch {
    // no PSI on this kernel
  }
  return `load average ${one.toFixed(2)} / ${five.toFixed(2)} (1 / 5 min)${io}`;
}
